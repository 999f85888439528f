"""Every form writer dispatches on the kind of an item's body through one visitor
(builder.model.form.visit_body): a kind it has no case for is a TypeError naming it,
never a part of the form silently left out."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from builder.forms.text import form_print_lines
from builder.model.form import Form, Item, body_fields
from tests.forms.test_forms_common import SURVEY, WRITERS, form


@dataclasses.dataclass(frozen=True)
class Signature:
    """A kind of body no writer knows yet (a signature box, say)."""

    id: str = "signature"


def _with_new_kind(original: Form) -> Form:
    section = original.sections[0]
    first = section.items[0]
    odd = dataclasses.replace(first, body=Signature())  # type: ignore[arg-type]
    items = (odd, *section.items[1:])
    sections = (dataclasses.replace(section, items=items), *original.sections[1:])
    return dataclasses.replace(original, sections=sections)


def _text(item: Form) -> bytes:
    return "\n".join(form_print_lines(item)).encode()


MAKERS: dict[str, Callable[[Form], object]] = {**WRITERS, "txt": _text}


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_a_new_kind_of_body_is_an_error_in_every_writer(fmt: str) -> None:
    odd = _with_new_kind(form(SURVEY))
    with pytest.raises(TypeError, match="a form body of kind Signature has no writer in"):
        MAKERS[fmt](odd)


def test_a_new_kind_of_body_is_an_error_when_fields_are_listed() -> None:
    odd: Item = _with_new_kind(form(SURVEY)).sections[0].items[0]
    with pytest.raises(TypeError, match="a form body of kind Signature has no writer in _Fields"):
        list(body_fields(odd.body))
