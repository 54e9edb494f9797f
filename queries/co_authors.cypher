// co-authors: the people who wrote papers with an author.
// Parameters: $author (str, required): an Author id, name or alias (case-insensitive);
//   $limit (int, default 20): how many authors.
// Returns: id, name, papers (distinct papers written together); ordered by papers descending, then id.
WITH toLower($author) AS key
MATCH (a:Author)
WHERE a.id = $author OR toLower(a.name) = key OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = key)
MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(c:Author)
WHERE c <> a
RETURN c.id AS id, c.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
