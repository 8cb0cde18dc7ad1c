//! Applies plans.
