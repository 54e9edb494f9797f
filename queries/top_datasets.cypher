// top-datasets: the datasets that the most papers use or introduce.
// Parameters: $limit (int, default 10): how many datasets.
// Returns: id, name, papers (distinct papers with USES_DATASET or INTRODUCES to the dataset),
//   ordered by papers descending, then id.
MATCH (p:Paper)-[:USES_DATASET|INTRODUCES]->(d:Dataset)
RETURN d.id AS id, d.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
