// author-papers: an author's papers, newest first, with the author's position on each.
// Parameters: $author (str, required): an Author id, name or alias (case-insensitive);
//   $limit (int, default 100): how many papers.
// Returns: id, title, year, position (1 = first author; null when the source gave no order);
//   newest first (papers without a year last), then id, then position (two authors matched).
WITH toLower($author) AS key
MATCH (a:Author)
WHERE a.id = $author OR toLower(a.name) = key OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = key)
MATCH (a)-[r:AUTHORED]->(p:Paper)
RETURN p.id AS id, p.title AS title, p.year AS year, r.position AS position
ORDER BY coalesce(p.year, 0) DESC, id, coalesce(r.position, 0)
LIMIT $limit
