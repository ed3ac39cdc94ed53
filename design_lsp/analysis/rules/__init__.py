"""The rules: one module per finding code, named for it (`heading_level.py` reports
`heading-level`; its page is `docs/rules/heading-level.md`). Each declares its `RULE`: the code
(an entry of `codes.py`) and its checks, each with what it depends on (`rule.py`), which
`parts.collect` reads to re-run only what an edit may have changed. Shared helpers: `common.py`
(making findings, where they show), `fields.py` (the template's fields as written),
`own_text.py` (whether the author wrote something after a line).

`RULES` lists them all; the output order does not depend on this order (`analyze.ORDER`).
"""

from design_lsp.analysis.rules import (
    duplicate_section,
    emphasis_as_heading,
    empty_section,
    heading_level,
    invalid_field,
    missing_field,
    missing_section,
    missing_title,
    misspelled_section,
    placeholder,
    renamed_section,
    section_order,
    template_text,
)
from design_lsp.analysis.rules.rule import Rule

RULES: tuple[Rule, ...] = (
    missing_title.RULE,
    missing_section.RULE,
    emphasis_as_heading.RULE,
    misspelled_section.RULE,
    renamed_section.RULE,
    heading_level.RULE,
    section_order.RULE,
    empty_section.RULE,
    duplicate_section.RULE,
    placeholder.RULE,
    template_text.RULE,
    missing_field.RULE,
    invalid_field.RULE,
)

__all__ = ["RULES", "Rule"]
