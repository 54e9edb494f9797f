// most-cited: the works cited by the most papers of the graph (stubs included).
// Parameters: $limit (int, default 10): how many works.
// Returns: id, title, year, stub (true for a work known only from citations),
//   citations (distinct citing papers); ordered by citations descending, then id.
MATCH (c:Paper)-[:CITES]->(p:Paper)
RETURN p.id AS id, p.title AS title, p.year AS year, coalesce(p.stub, false) AS stub,
       count(DISTINCT c) AS citations
ORDER BY citations DESC, id
LIMIT $limit
