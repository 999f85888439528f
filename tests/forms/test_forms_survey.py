"""The survey form word for word against seed 001 (群馬県's filled copy), and 群馬県's
answers as the form's own values.

SEED_FORM is the form's block of seed 001 (lines 174–203) as transcribed, answers
included; the YAML's transcription decisions are applied to it exactly as recorded, and
every printed text of the form that is not marked inferred must then occur in it, in
order."""

from __future__ import annotations

from builder.forms import form_print_lines
from builder.model.form import Field
from tests.forms.test_forms_common import GUNMA, GUNMA_REASON, SURVEY, form

SEED_FORM = f"""推進区域（仮称）及びモデル推進区域（仮称）について

【推進区域（仮称）】

1 検討されている推進区域（仮称）

藤岡構想区域

2 推進区域（仮称）を選定する理由

- ①データの特性だけでは説明できない総病床数の必要量との差異が特に生じている区域
- ②データの特性だけでは説明できない機能別病床数の必要量との差異が特に生じている区域
- ③令和5年9月末調査において再検証対象医療機関における対応状況として検証中または検証未開始の医療機関がある区域
- ④その他医療提供体制上の課題があつて重点的な支援の必要性があると考えられる区域

④

3 上記④の具体的な理由を記載してください。

{GUNMA_REASON}

【モデル推進区域（仮称）】

1 検討されているモデル推進区域（仮称）を記載してください。

藤岡構想区域

2 区域を選定する理由

{GUNMA_REASON}
"""


def _decided(text: str) -> str:
    for decision in form(SURVEY).decisions:
        text = text.replace(decision.seed, decision.used)
    return text


def _printed_texts() -> list[str]:
    survey = form(SURVEY)
    texts = [survey.header.title]
    for section in survey.sections:
        texts.append(section.heading + section.note)
        for item in section.items:
            if not item.inferred:
                texts.append(item.caption)
            if isinstance(item.body, Field):
                texts += [o.caption for o in item.body.options]
    return texts


def test_every_printed_text_is_in_the_seed_in_order() -> None:
    survey = form(SURVEY)
    assert survey.seed == "001_ddee3006ced2ac08.txt" and survey.decisions
    lines = [line for line in _decided(SEED_FORM).split("\n") if line]
    position = 0
    for text in _printed_texts():
        assert text in lines[position:], f"「{text}」 not in the seed after line {position}"
        position = lines.index(text, position) + 1


def test_only_the_prefecture_field_is_inferred() -> None:
    survey = form(SURVEY)
    inferred = [f.id for f in survey.fields() if f.inferred]
    assert inferred == ["prefecture"]
    assert not any(s.inferred for s in survey.sections)
    assert not any(i.inferred for s in survey.sections for i in s.items)


def test_gunma_answers_are_the_seeds_and_print_in_place() -> None:
    decided = _decided(SEED_FORM)
    for field_id in ("suishin_area", "suishin_reasons", "suishin_reason_detail", "model_area"):
        assert f"\n{GUNMA[field_id]}\n" in decided, field_id
    lines = form_print_lines(form(SURVEY), GUNMA)
    assert lines[:4] == [
        "推進区域（仮称）及びモデル推進区域（仮称）について",
        "都道府県名｜群馬県",
        "【推進区域（仮称）】",
        "1　検討されている推進区域（仮称）",
    ]
    assert lines[4] == "藤岡構想区域"
    assert [line[0] for line in lines[6:10]] == ["□", "□", "□", "■"]
    assert lines.count(GUNMA_REASON) == 2
