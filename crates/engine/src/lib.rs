//! One reconcile.
