"""The 47 prefectures (都道府県) with their JIS X 0401 codes, and lookup from user input."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from builder.japanese.normalize import normalize_query


@dataclass(frozen=True)
class Prefecture:
    """A prefecture: JIS X 0401 code (1-47) and official name (e.g. 13, 東京都)."""

    code: int
    name: str

    @property
    def short_name(self) -> str:
        """The name without 都/府/県 (東京, 大阪, 兵庫); 北海道 stays 北海道."""
        if self.name == "北海道":
            return self.name
        return self.name[:-1]


_NAMES: tuple[str, ...] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)

PREFECTURES: tuple[Prefecture, ...] = tuple(
    Prefecture(code=code, name=name) for code, name in enumerate(_NAMES, start=1)
)


class UnknownPrefectureError(ValueError):
    """No prefecture matches the query; the message suggests the closest names."""


class AmbiguousPrefectureError(ValueError):
    """Several prefectures match the query."""


def _closest_names(query: str, table: Sequence[Prefecture]) -> list[str]:
    """Return up to three official names close to ``query`` (by full or short name)."""
    by_key: dict[str, str] = {}
    for prefecture in table:
        by_key.setdefault(prefecture.name, prefecture.name)
        by_key.setdefault(prefecture.short_name, prefecture.name)
    close = difflib.get_close_matches(query, list(by_key), n=6, cutoff=0.5)
    names = list(dict.fromkeys(by_key[key] for key in close))
    return names[:3]


@cache
def _keys(prefecture: Prefecture) -> tuple[str, str]:
    """The normalised full and short names of ``prefecture`` (computed once)."""
    return normalize_query(prefecture.name), normalize_query(prefecture.short_name)


def find_prefecture(query: str, table: Sequence[Prefecture] = PREFECTURES) -> Prefecture:
    """Return the prefecture named by ``query``.

    ``query`` may be the official name (兵庫県, 東京都, 北海道) or the name without
    都/府/県 (兵庫, 東京, 大阪, 京都); full-/half-width noise and spaces are ignored.
    Raises :class:`UnknownPrefectureError` (with suggestions) when nothing matches
    and :class:`AmbiguousPrefectureError` when several prefectures in ``table`` match.
    """
    wanted = normalize_query(query)
    found = [prefecture for prefecture in table if wanted in _keys(prefecture)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = "、".join(prefecture.name for prefecture in found)
        raise AmbiguousPrefectureError(
            f"「{query}」に当てはまる都道府県が複数あります（{names}）。正式名で書いてください / "
            f"{query!r} matches several prefectures ({names}): write the full name"
        )
    suggestions = _closest_names(wanted, table)
    if suggestions:
        listed = "、".join(suggestions)
        hint_ja = f"もしかして: {listed}"
        hint_en = f"did you mean {', '.join(suggestions)}?"
    else:
        hint_ja = "正式名（例: 東京都、兵庫県）で書いてください"
        hint_en = "write the name of a prefecture, e.g. 東京都 or 兵庫県"
    raise UnknownPrefectureError(
        f"「{query}」という都道府県はありません。{hint_ja} / "
        f"{query!r} is not a prefecture: {hint_en}"
    )


def prefecture_code(name: str) -> int:
    """Return the JIS X 0401 code (1-47) of ``name``; accepts what find_prefecture accepts."""
    return find_prefecture(name).code
