with

source as (
    select * from {{ source('raw', 'snapshots') }}
),

final as (
    select
        snapshot_id,
        snapshot_date,
        source_kind,
        listing_kind,
        listing_day,
        status,
        n_entries,
        n_loaded,
        n_quarantined,
        original_name,
        ingested_at,
        file_modified_at
    from source
)

select * from final
