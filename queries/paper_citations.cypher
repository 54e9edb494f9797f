// paper-citations: what a paper cites.
// Parameters: $paper (str, required): a Paper id or title (case-insensitive);
//   $limit (int, default 100): how many rows.
// Returns: citing (the paper's id), id, title, year, stub, text (the citation as written);
//   ordered by citing, id.
WITH toLower($paper) AS key
MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) = key
MATCH (p)-[r:CITES]->(c:Paper)
RETURN p.id AS citing, c.id AS id, c.title AS title, c.year AS year, coalesce(c.stub, false) AS stub,
       r.text AS text
ORDER BY citing, id
LIMIT $limit
