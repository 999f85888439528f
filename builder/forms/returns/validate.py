"""The value rules a return must follow, and what a return's file shows in computed cells.

:func:`value_problems` checks the values read from a return (``raw`` from
:func:`builder.forms.returns.read.open_form_file`, normalised by
:func:`builder.forms.returns.read.input_values`) against the form definition:

* a ``required`` field is blank; a field with ``when`` is blank although its condition
  holds (「上記④の具体的な理由」 when ④ was chosen);
* a value breaks its kind's rule (:func:`builder.forms.prefill.normalize_value`: a count
  of 「十」, a date of 「来月」, an option that does not exist, two lines in a one-line
  field);
* a count is over its field's ``max``;
* the ``role: prefecture`` field does not hold the official name of a prefecture;
* a computed cell shows a value (a spreadsheet's cached result, a PDF viewer's
  calculation) that disagrees with its inputs: 差し引き (C)-(A) shows 5 where C − A = 10.

Each problem is one line naming the field's label and id and saying what to do.
"""

from __future__ import annotations

from collections.abc import Mapping

from builder.forms.prefill import normalize_value
from builder.japanese import PREFECTURES
from builder.model.form import CHOICES_SEPARATOR, Field, Form, computed_values

__all__ = ["computed_shown", "value_problems"]

_PREFECTURE_NAMES = frozenset(p.name for p in PREFECTURES)


def computed_shown(
    form: Form, raw: Mapping[str, str], shown: Mapping[tuple[str, str], str]
) -> dict[str, str]:
    """Computed field id → the value the file shows for it (where it shows one)."""
    result: dict[str, str] = {}
    for item in form.fields():
        if item.formula is None:
            continue
        value = shown.get((item.formula.minuend, item.formula.subtrahend)) or raw.get(item.id)
        if value and value.strip():
            result[item.id] = value.strip()
    return result


def value_problems(
    form: Form,
    raw: Mapping[str, str],
    values: Mapping[str, str],
    shown: Mapping[str, str],
) -> list[str]:
    """Every broken rule of a return, in reading order (``shown``: :func:`computed_shown`)."""
    problems: list[str] = []
    computed = computed_values(form, dict(values))
    for item in form.fields():
        where = f"{item.label} ({item.id})"
        if item.kind == "computed":
            problems += _computed_problem(item, where, shown.get(item.id), computed, values)
            continue
        value = values.get(item.id, "")
        if not value:
            problems += _blank_problem(form, item, where, values)
            continue
        if item.kind != "choices":
            try:
                normalize_value(item, raw.get(item.id, "").strip(" \u3000\t\r\n"))
            except ValueError as exc:
                problems.append(f"{exc}; correct it in the return")
                continue
        if item.maximum is not None and value.isdigit() and int(value) > item.maximum:
            problems.append(
                f"{where}: {value} is more than {item.maximum:,}; check for a typing slip"
            )
        if item.role == "prefecture" and value not in _PREFECTURE_NAMES:
            problems.append(
                f"{where}: 「{value}」 is not the official name of a prefecture (e.g. 兵庫県)"
            )
    return problems


def _blank_problem(form: Form, item: Field, where: str, values: Mapping[str, str]) -> list[str]:
    if item.required:
        return [f"{where}: required, but blank; ask the prefecture to fill it in"]
    if item.when is not None:
        chosen = values.get(item.when.field, "").split(CHOICES_SEPARATOR)
        if item.when.includes in chosen:
            other = form.field(item.when.field)
            return [
                f"{where}: required because {other.label} includes {item.when.includes}, but blank"
            ]
    return []


def _computed_problem(
    item: Field,
    where: str,
    shown: str | None,
    computed: Mapping[str, str],
    values: Mapping[str, str],
) -> list[str]:
    if shown is None or item.formula is None:
        return []
    expected = computed.get(item.id)
    if expected is None:
        return [f"{where}: shows {shown} but its two inputs are not both filled"]
    try:
        agrees = int(float(shown)) == int(expected) and float(shown).is_integer()
    except ValueError:
        agrees = False
    if agrees:
        return []
    minuend, subtrahend = values[item.formula.minuend], values[item.formula.subtrahend]
    return [
        f"{where}: shows {shown}, but {minuend} − {subtrahend} = {expected}; the file's "
        "calculation is stale or was overwritten"
    ]
