"""Templates: a Markdown file is the schema."""

from design_lsp.template.load import TemplateError, load_template, parse_template
from design_lsp.template.model import FieldSpec, SectionSpec, Template, TitleSpec

__all__ = [
    "FieldSpec",
    "SectionSpec",
    "Template",
    "TemplateError",
    "TitleSpec",
    "load_template",
    "parse_template",
]
