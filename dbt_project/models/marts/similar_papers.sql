{{ config(materialized='view') }}
-- The 10 papers most like each paper, by cosine similarity of their vectors
-- (int_paper_neighbours over int_paper_vectors: words of title, keywords and abstract under a
-- fixed random projection; transforms/paper_vectors.py): rank 1 is the most similar, ties
-- ranked by neighbour_id. One row per (paper_id, rank). A view: the neighbours are stored once,
-- in int_paper_neighbours, and a run does not copy them (~2 s on ten years of papers).
with

neighbours as (
    select * from {{ ref('int_paper_neighbours') }}
),

final as (
    select
        neighbours.paper_id,
        neighbours.neighbour_id,
        cast(row_number() over (
            partition by neighbours.paper_id
            order by neighbours.score desc, neighbours.neighbour_id asc
        ) as integer) as rank,
        round(cast(neighbours.score as double), 4) as score,
        papers.title as neighbour_title,
        papers.arxiv_id as neighbour_arxiv_id
    from neighbours
    inner join {{ ref('papers') }} as papers on neighbours.neighbour_id = papers.paper_id
)

select * from final
