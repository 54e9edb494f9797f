// similar-papers: papers that share methods, datasets, repositories or cited works with a paper.
// Parameters: $paper (str, required): a Paper id or title (case-insensitive);
//   $limit (int, default 10): how many papers.
// Returns: id, title, shared (distinct nodes both papers point to with USES_METHOD,
//   USES_DATASET, INTRODUCES, HAS_CODE or CITES); ordered by shared descending, then id.
WITH toLower($paper) AS key
MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) = key
MATCH (p)-[:USES_METHOD|USES_DATASET|INTRODUCES|HAS_CODE|CITES]->(x)<-[:USES_METHOD|USES_DATASET|INTRODUCES|HAS_CODE|CITES]-(q:Paper)
WHERE q <> p
RETURN q.id AS id, q.title AS title, count(DISTINCT x) AS shared
ORDER BY shared DESC, id
LIMIT $limit
