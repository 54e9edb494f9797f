// top-methods: the methods that the most papers use or introduce.
// Parameters: $limit (int, default 10): how many methods.
// Returns: id, name, papers (distinct papers with USES_METHOD or INTRODUCES to the method),
//   ordered by papers descending, then id.
MATCH (p:Paper)-[:USES_METHOD|INTRODUCES]->(m:Method)
RETURN m.id AS id, m.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
