"""nbconvert's side of the pack: the executed notebooks as offline HTML pages, code hidden."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from pipelines.report import TEMPLATES


class PackExporter(HTMLExporter):
    """nbconvert's HTML exporter without its closing BeautifulSoup pass.

    That pass re-parses the whole page only to give <img> tags alt text and notebook cells a
    tabindex for keyboard focus in JupyterLab; the pack's pages have no images and no cells to
    focus (code hidden), and re-parsing a page of several MB with long tables takes longer
    than rendering it.
    """

    def from_notebook_node(
        self, nb: nbformat.NotebookNode, resources: dict | None = None, **kw: object
    ) -> tuple[str, dict]:
        # the filters and resources HTMLExporter.from_notebook_node sets up before rendering
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def exporter() -> HTMLExporter:
    """An HTML exporter with code, prompts, stderr and notebook-only cells hidden."""
    config = Config()
    config.HTMLExporter.template_name = "pack"
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ("notebook-only", "parameters")
    return PackExporter(config=config)


def export_page(
    nb: nbformat.NotebookNode, target: Path, title: str, html_exporter: HTMLExporter,
    page_css: str = "",
) -> None:
    """Write the executed notebook `nb` as the page `target`, without its stderr output.

    `page_css` is the page's @page rule (its printed footer, pipelines/report/pack/pdf.py).
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    nb.metadata["title"] = title
    body, _ = html_exporter.from_notebook_node(nb, resources={"metadata": {"name": title},
                                                                "pack_page_css": page_css})
    target.write_text(body, encoding="utf-8")
