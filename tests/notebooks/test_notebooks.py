"""Every notebook in notebooks/ runs top to bottom with nbclient and has no error output.

The notebook is read from the checkout, run with the working folder ``notebooks/`` (as a person
opening it in Jupyter would), and the executed copy is written to a temporary folder: the
committed file is never changed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS if p.name == "01_explore.ipynb"] == ["01_explore.ipynb"]


def _errors(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = out.get("text", "")
                if "Traceback" in text or "Error" in text:
                    found.append(f"cell {i} wrote to stderr: {text[:500]}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed:\n{exc}")
    finally:
        nbformat.write(nb, tmp_path / path.name)
    assert _errors(nb) == []
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code" and c.source.strip())
    if path.name == "01_explore.ipynb":
        _shows_a_plot_and_a_view_inline(nb)


def _shows_a_plot_and_a_view_inline(nb) -> None:
    """What a person sees in Jupyter: the trend plot as an image and the view in a frame."""
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    assert any("image/png" in out.get("data", {}) for out in outputs)
    frames = [out["data"]["text/html"] for out in outputs if "text/html" in out.get("data", {})]
    assert any("<iframe srcdoc=" in f and "kg-network" in f for f in frames)

