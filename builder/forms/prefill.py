"""Fixed values of a form (``prefill``) and the value rules of each field kind.

A writer takes ``prefill: dict[str, str]``: field id → value, shown in the output and
not editable (e.g. 都道府県名 and 構想区域名 when the ministry sends each prefecture its
own copy). :func:`check_prefill` validates and normalises such a dict;
:func:`area_prefill` builds it from a prefecture and its areas (a row of 別添1) for the
fields that carry ``role: prefecture`` / ``role: areas``. :func:`normalize_value` is
the rule per kind (see :mod:`builder.model.form`), shared with the reader of returns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from builder.japanese import DateError, parse_date
from builder.model.form import CHOICES_SEPARATOR, Field, Form

__all__ = ["area_prefill", "check_prefill", "normalize_value"]


def normalize_value(field: Field, value: str) -> str:
    """``value`` in the canonical form of ``field``'s kind; ``ValueError`` if it is not one.

    Dates may be ISO or 和暦 (full-width digits allowed) and become ISO; counts may use
    full-width digits and become ASCII; a several-of value lists option values joined
    by 「、」 (any order, duplicates dropped) and comes back in option order.
    """
    where = f"{field.id} ({field.label})"
    match field.kind:
        case "text":
            if "\n" in value:
                raise ValueError(f"{where}: one line only, got 「{value}」")
            return value
        case "multiline":
            return value.replace("\r\n", "\n").replace("\r", "\n")
        case "date":
            try:
                return parse_date(value).isoformat()
            except DateError as exc:
                raise ValueError(f"{where}: {exc}") from None
        case "count":
            digits = unicodedata.normalize("NFKC", value).strip()
            if not digits.isascii() or not digits.isdigit():
                raise ValueError(f"{where}: 「{value}」 is not a whole number of 0 or more")
            return str(int(digits))
        case "choice":
            if field.option(value) is None:
                values = "、".join(o.value for o in field.options)
                raise ValueError(f"{where}: 「{value}」 is not one of {values}")
            return value
        case "choices":
            chosen = {part.strip() for part in value.split(CHOICES_SEPARATOR) if part.strip()}
            unknown = sorted(v for v in chosen if field.option(v) is None)
            if unknown:
                values = "、".join(o.value for o in field.options)
                raise ValueError(f"{where}: 「{'、'.join(unknown)}」 not among {values}")
            return CHOICES_SEPARATOR.join(o.value for o in field.options if o.value in chosen)
        case "computed":
            raise ValueError(f"{where} is computed from other cells; it cannot be given")
    raise AssertionError(field.kind)


def check_prefill(form: Form, prefill: Mapping[str, str]) -> dict[str, str]:
    """``prefill`` validated against ``form`` and normalised (:func:`normalize_value`);
    ``ValueError`` for an unknown field id or a value its field does not take."""
    result: dict[str, str] = {}
    for field_id, value in prefill.items():
        try:
            field = form.field(field_id)
        except KeyError as exc:
            raise ValueError(str(exc.args[0])) from None
        result[field_id] = normalize_value(field, value)
    return result


def area_prefill(form: Form, prefecture: str, areas: Sequence[str] = ()) -> dict[str, str]:
    """The prefill for one prefecture's copy: its name in the ``role: prefecture`` field
    and its areas, joined by 「、」, in the ``role: areas`` field (if the form has one).
    ``ValueError`` if the form has no prefecture field, or areas but no areas field."""
    prefecture_field = form.role_field("prefecture")
    if prefecture_field is None:
        raise ValueError(f"form {form.id} has no field with role: prefecture")
    values = {prefecture_field.id: prefecture}
    if areas:
        areas_field = form.role_field("areas")
        if areas_field is None:
            raise ValueError(f"form {form.id} has no field with role: areas")
        values[areas_field.id] = CHOICES_SEPARATOR.join(areas)
    return values
