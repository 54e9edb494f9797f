"""Exports of a kg graph to GraphML and GEXF, files that Gephi and Cytoscape open.

Both formats hold only scalar attributes, so the export encodes kg's properties this way
(and :func:`read_export` decodes them back):

* the schema label of a node is the attribute ``kg_label``; the attribute ``label`` is the
  name a person reads (a paper's title, an entity's name), which Gephi shows on the node;
* an edge keeps its ``type`` and its key (the type); its ``label`` is the type too (in
  GEXF, where ``type`` means directed or undirected, the kg type is ``kg_type``);
* list properties (``sources``, ``aliases``, ``merged_from``, ...) become JSON text, e.g.
  ``'["a.txt:3", "b.txt:9"]'``; ``None`` values are left out; booleans, integers and
  strings stay as they are;
* each file says so itself (:data:`ENCODING`): GraphML in the graph attribute
  ``kg_encoding``, GEXF in the ``<description>`` of its ``<meta>``.

>>> import networkx as nx, tempfile, os
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:x", label="Paper", title="X", year=2024, stub=False, sources=["a.txt:3"])
>>> g.add_node("method:lora", label="Method", name="LoRA", aliases=["LoRA", "Low-Rank Adaptation"])
>>> _ = g.add_edge("paper:t:x", "method:lora", key="USES_METHOD", type="USES_METHOD", evidence="e")
>>> folder = tempfile.mkdtemp()
>>> for fmt in ("graphml", "gexf"):
...     path = export_graph(g, os.path.join(folder, "g." + fmt))
...     h = read_export(path)
...     assert sorted(h.nodes(data=True)) == sorted(g.nodes(data=True)), fmt
...     assert sorted(h.edges(keys=True, data=True)) == sorted(g.edges(keys=True, data=True)), fmt
>>> raw = nx.read_graphml(os.path.join(folder, "g.graphml"))
>>> raw.nodes["paper:t:x"]["kg_label"], raw.nodes["paper:t:x"]["label"], raw.nodes["paper:t:x"]["sources"]
('Paper', 'X', '["a.txt:3"]')
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import defusedxml.ElementTree
import networkx as nx
from defusedxml import DefusedXmlException

from kg.errors import KgError
from kg.schema import BOOL, INT64, NODE_PROPERTIES, RELATIONSHIPS, STRING_LIST

__all__ = ["ENCODING", "FORMATS", "ExportError", "export_graph", "read_export", "to_flat_graph"]

#: what every export says about how it encodes kg's properties (GraphML: the graph attribute
#: ``kg_encoding``; GEXF: the ``<description>`` of its ``<meta>``)
ENCODING = (
    "kg export: node attribute kg_label is the kg schema label (Paper, Author, Method, Dataset, "
    "Repository, Venue) and label the readable name (a paper's title, an entity's name); list and "
    "dict property values (sources, aliases, merged_from, affiliations, ...) are JSON text, "
    'e.g. sources = ["a.txt:3", "b.txt:9"]; missing values are left out; the edge attribute type '
    "(kg_type in GEXF) is the relationship type (AUTHORED, CITES, USES_METHOD, ...); "
    "kg.export.read_export reads the file back into a kg graph."
)


class _GraphMLWriter(nx.readwrite.graphml.GraphMLWriter):
    """networkx's GraphML writer, with booleans as the schema's ``true``/``false`` (networkx
    writes Python's ``True``/``False``, which xs:boolean does not allow)."""

    def add_data(self, name, element_type, value, scope="all", default=None):  # noqa: ANN001, ANN201
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:  # the value comes as str(True) or str(False)
            element.text = str(value).lower()
        return element


def _write_graphml(flat: nx.MultiDiGraph, path: Path) -> None:
    flat.graph["kg_encoding"] = ENCODING
    # key ids d0, d1, ...: named ids would repeat ("label" of nodes and of edges), which the
    # GraphML schema forbids (a key id is an xs:ID)
    writer = _GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(flat)
    with path.open("wb") as fh:
        writer.dump(fh)


def _write_gexf(flat: nx.MultiDiGraph, path: Path) -> None:
    # GEXF edge ids must be unique: the kg key alone repeats across node pairs
    gexf = nx.MultiDiGraph()
    gexf.add_nodes_from(flat.nodes(data=True))
    for i, (u, v, key, data) in enumerate(flat.edges(keys=True, data=True)):
        # GEXF's writer takes an edge attribute "type" for directed/undirected
        attrs = {("kg_type" if k == "type" else k): val for k, val in data.items()}
        gexf.add_edge(u, v, key=key, id=str(i), kg_key=key, **attrs)
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    # networkx stamps <meta> with today's date: the same graph exported another day would
    # differ; the attribute is optional in GEXF 1.2, so kg's export leaves it out
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(gexf)
    writer.write(path)
    # the encoding note goes into <meta> (networkx writes only the creator there)
    text = path.read_text(encoding="utf-8")
    note = ENCODING.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("</creator>", f"</creator>\n    <description>{note}</description>", 1)
    path.write_text(text, encoding="utf-8")


#: export formats: name -> writer (a function of the flat graph and the path). Another format
#: registers itself here (and, if :func:`read_export` should read it back, in its reader).
WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {
    "graphml": _write_graphml,
    "gexf": _write_gexf,
}
FORMATS = tuple(WRITERS)


class ExportError(KgError):
    """An export format kg does not write, or a file that is not a kg export."""


def _display(node: object, data: dict) -> str:
    for key in ("title", "name"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    text = str(node)
    return text.split(":", 2)[-1] if text.startswith("paper:") else text.split(":", 1)[-1]


def _scalar(value: object) -> object:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return json.dumps(items, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def to_flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes are scalars, encoded as the module describes.

    The input graph is not changed.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("method:lora", label="Method", name="LoRA", aliases=["Low-Rank Adaptation"])
    >>> to_flat_graph(g).nodes["method:lora"]
    {'name': 'LoRA', 'aliases': '["Low-Rank Adaptation"]', 'kg_label': 'Method', 'label': 'LoRA'}
    """
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if v is not None and k != "label"}
        if "label" in data:
            attrs["kg_label"] = data["label"]
        attrs["label"] = _display(node, data)
        flat.add_node(str(node), **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if v is not None}
        attrs.setdefault("type", str(key))
        attrs["label"] = attrs["type"]
        flat.add_edge(str(u), str(v), key=str(key), **attrs)
    return flat


def export_graph(graph: nx.MultiDiGraph, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` as GraphML or GEXF (``fmt``, else the file's suffix).

    The folder of ``path`` must exist; the file appears whole or not at all."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"{path}: export format {fmt!r} is unknown; expected one of {', '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: the folder {path.parent} does not exist; create it first")
    flat = to_flat_graph(graph)
    tmp = path.with_name(path.name + ".tmp")
    WRITERS[fmt](flat, tmp)
    tmp.replace(path)
    return path


def _decode(props: dict[str, str], key: str, value: object) -> object:
    kind = props.get(key)
    if kind == STRING_LIST and isinstance(value, str):
        try:
            decoded = json.loads(value)
        except json.JSONDecodeError:
            return value
        return decoded if isinstance(decoded, list) else value
    if kind == INT64 and isinstance(value, str | float) and str(value).lstrip("-").isdigit():
        return int(value)
    if kind == INT64 and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == BOOL and isinstance(value, str):
        return value.lower() == "true"
    return value


def _check_xml(path: Path) -> None:
    """Refuse a DTD, entities or external references before networkx parses ``path``
    (networkx reads XML with the standard library, which expands entities)."""
    try:
        defusedxml.ElementTree.parse(path, forbid_dtd=True)
    except (DefusedXmlException, defusedxml.ElementTree.ParseError) as exc:
        raise ExportError(
            f"{path}: not a plain, well-formed XML file ({exc}); expected a GraphML or GEXF file "
            "written by kg export"
        ) from exc


def read_export(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GraphML or GEXF file written by :func:`export_graph` back into a kg graph."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ExportError(f"{path}: cannot tell the format; expected a .graphml or .gexf file")
    _check_xml(path)
    raw = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    graph = nx.MultiDiGraph()
    for node, data in raw.nodes(data=True):
        data = dict(data)
        data.pop("label", None)
        data.pop("id", None)
        label = data.pop("kg_label", None)
        props = NODE_PROPERTIES.get(label, {})
        attrs = {k: _decode(props, k, v) for k, v in data.items()}
        if label is not None:
            attrs = {"label": label, **attrs}
        graph.add_node(node, **attrs)
    edges = (
        raw.edges(keys=True, data=True)
        if raw.is_multigraph()
        else ((u, v, None, d) for u, v, d in raw.edges(data=True))
    )
    for u, v, key, data in edges:
        data = dict(data)
        data.pop("label", None)
        data.pop("id", None)
        key = data.pop("kg_key", key)
        if "kg_type" in data:
            data["type"] = data.pop("kg_type")
        rel = RELATIONSHIPS.get(data.get("type", key))
        props = rel.properties if rel else {}
        graph.add_edge(u, v, key=key, **{k: _decode(props, k, val) for k, val in data.items()})
    return graph
