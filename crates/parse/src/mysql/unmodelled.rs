//! The clauses of a `CREATE TABLE` that sqlparser reads and the MySQL model does not hold (`PARTITION BY`
//! first among them): each is refused, never dropped. The destructuring names every field of sqlparser's
//! `CreateTable`, so a new field fails to compile here until it is judged.

use sqlparser::ast::{CreateTable, HiveDistributionStyle};

/// The first clause of `create` that the model does not hold, by its SQL name.
pub(super) fn unmodelled_clause(create: &CreateTable) -> Option<&'static str> {
    let CreateTable {
        // read by `create_table`
        name: _,
        columns: _,
        constraints: _,
        table_options: _,
        comment: _,
        if_not_exists: _,
        temporary: _,
        query: _,
        like: _,
        // held by no model field
        or_replace,
        unlogged,
        external,
        dynamic,
        global,
        transient,
        volatile,
        iceberg,
        snapshot,
        hive_distribution,
        hive_formats,
        file_format,
        location,
        sqlite_table_options,
        clone,
        version,
        on_commit,
        on_cluster,
        primary_key,
        order_by,
        partition_by,
        cluster_by,
        clustered_by,
        inherits,
        partition_of,
        for_values,
        copy_grants,
        enable_schema_evolution,
        change_tracking,
        data_retention_time_in_days,
        max_data_extension_time_in_days,
        default_ddl_collation,
        with_aggregation_policy,
        with_row_access_policy,
        with_storage_lifecycle_policy,
        with_tags,
        external_volume,
        with_connection,
        base_location,
        catalog,
        catalog_sync,
        storage_serialization_policy,
        target_lag,
        warehouse,
        refresh_mode,
        initialize,
        require_user,
        diststyle,
        distkey,
        sortkey,
        backup,
        multiset,
        fallback,
        with_data,
    } = create;
    let clauses = [
        (partition_by.is_some() || partition_of.is_some() || for_values.is_some(), "PARTITION BY"),
        (*hive_distribution != HiveDistributionStyle::NONE, "PARTITIONED BY"),
        (*or_replace, "OR REPLACE"),
        (*unlogged || *global == Some(true) || *transient || *volatile, "UNLOGGED / GLOBAL / TRANSIENT / VOLATILE"),
        (*external || *dynamic || *iceberg || *snapshot, "EXTERNAL / DYNAMIC / ICEBERG / SNAPSHOT"),
        (hive_formats.is_some() || file_format.is_some() || location.is_some(), "STORED AS / LOCATION"),
        (*sqlite_table_options != Default::default(), "STRICT / WITHOUT ROWID"),
        (clone.is_some() || version.is_some(), "CLONE"),
        (on_commit.is_some(), "ON COMMIT"),
        (on_cluster.is_some(), "ON CLUSTER"),
        (primary_key.is_some() || order_by.is_some(), "PRIMARY KEY / ORDER BY after the columns"),
        (cluster_by.is_some() || clustered_by.is_some(), "CLUSTER BY"),
        (inherits.is_some(), "INHERITS"),
        (*copy_grants || with_tags.is_some(), "COPY GRANTS / WITH TAG"),
        (
            enable_schema_evolution.is_some()
                || change_tracking.is_some()
                || data_retention_time_in_days.is_some()
                || max_data_extension_time_in_days.is_some()
                || default_ddl_collation.is_some(),
            "a table property of another database",
        ),
        (
            with_aggregation_policy.is_some()
                || with_row_access_policy.is_some()
                || with_storage_lifecycle_policy.is_some(),
            "WITH ... POLICY",
        ),
        (
            external_volume.is_some()
                || with_connection.is_some()
                || base_location.is_some()
                || catalog.is_some()
                || catalog_sync.is_some()
                || storage_serialization_policy.is_some(),
            "an external storage clause",
        ),
        (target_lag.is_some() || warehouse.is_some() || refresh_mode.is_some() || initialize.is_some(), "TARGET_LAG"),
        (*require_user, "REQUIRE USER"),
        (diststyle.is_some() || distkey.is_some() || sortkey.is_some() || backup.is_some(), "DISTSTYLE / SORTKEY"),
        (multiset.is_some() || fallback.is_some() || with_data.is_some(), "MULTISET / FALLBACK / WITH DATA"),
    ];
    clauses.into_iter().find_map(|(present, clause)| present.then_some(clause))
}
