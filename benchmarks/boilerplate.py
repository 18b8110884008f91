"""Header and footer lines of news pages (dates, bylines, share buttons), in English and Arabic.

Both case generators put such a block on one side of some documents; each line has no
counterpart on the other side. ``draw_boilerplate`` decides whether a document gets one, on which
side and with which lines; the generators pass their own ``BoilerplateRates``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.cases import AR, EN

EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
AR_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
EN_SECTIONS = ["World", "Health", "Science", "Politics", "Travel", "Technology", "Culture"]
AR_SECTIONS = ["العالم", "الصحة", "العلوم", "السياسة", "السفر", "التكنولوجيا", "الثقافة"]
EN_BYLINES = ["Staff Reporter", "Our Correspondent", "News Desk", "Wire Services"]
EMAILS = ["press@example.org", "media@example.com", "news@example.net", "info@example.org"]

Maker = Callable[[random.Random], str]


def random_stamp(rng: random.Random) -> dt.datetime:
    """A plausible publication time between 2015 and 2023."""
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
    return dt.datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))


def en_date(rng: random.Random) -> str:
    t = random_stamp(rng)
    return f"{EN_WEEKDAYS[t.weekday()]}, {t.day} {EN_MONTHS[t.month - 1]} {t.year} {t:%H:%M}"


def ar_date(rng: random.Random) -> str:
    t = random_stamp(rng)
    return f"{AR_WEEKDAYS[t.weekday()]}، {t.day} {AR_MONTHS[t.month - 1]} {t.year} - {t:%H:%M}"


EN_HEADERS: list[Maker] = [
    en_date,
    lambda r: "Press release",
    lambda r: "FOR IMMEDIATE RELEASE",
    lambda r: f"Home > News > {r.choice(EN_SECTIONS)}",
    lambda r: f"By {r.choice(EN_BYLINES)}",
    lambda r: f"Last updated: {r.randint(1, 28)} {r.choice(EN_MONTHS)} {r.randint(2015, 2023)}",
    lambda r: f"Reading time: {r.randint(2, 12)} min",
]
EN_FOOTERS: list[Maker] = [
    lambda r: "Share this article",
    lambda r: "Follow us on Twitter",
    lambda r: "# # #",
    lambda r: f"© {r.randint(2015, 2023)} All rights reserved.",
    lambda r: f"For media inquiries contact {r.choice(EMAILS)}",
    lambda r: f"{r.randint(2, 240)} comments",
    lambda r: f"Tags: {', '.join(r.sample([s.lower() for s in EN_SECTIONS], 2))}",
]
AR_HEADERS: list[Maker] = [
    ar_date,
    lambda r: "بيان صحفي",
    lambda r: "للنشر الفوري",
    lambda r: f"الصفحة الرئيسية › الأخبار › {r.choice(AR_SECTIONS)}",
    lambda r: f"آخر تحديث: {r.randint(1, 28)} {r.choice(AR_MONTHS)} {r.randint(2015, 2023)}",
]
AR_FOOTERS: list[Maker] = [
    lambda r: f"جميع الحقوق محفوظة © {r.randint(2015, 2023)}",
    lambda r: "شارك هذا المقال",
    lambda r: "تابعونا على تويتر",
    lambda r: f"للاستفسارات الإعلامية: {r.choice(EMAILS)}",
    lambda r: "اقرأ أيضاً",
    lambda r: "# # #",
]


def make_lines(rng: random.Random, makers: list[Maker], count: int) -> list[str]:
    """``count`` distinct boilerplate lines (sampling avoids repeats)."""
    return [make(rng) for make in rng.sample(makers, min(count, len(makers)))]


@dataclass(frozen=True)
class BoilerplateRates:
    """How often a document gets boilerplate, and how often that goes on the English side."""

    share: float
    english: float


@dataclass(frozen=True)
class Boilerplate:
    """A header and/or footer block on one side; either list may be empty, not both."""

    side: str
    header: list[str]
    footer: list[str]


def draw_boilerplate(rng: random.Random, rates: BoilerplateRates) -> Boilerplate | None:
    """With probability ``rates.share``, 1-4 header lines, 1-3 footer lines, or both, on one side."""
    if rng.random() >= rates.share:
        return None
    side = EN if rng.random() < rates.english else AR
    headers, footers = (EN_HEADERS, EN_FOOTERS) if side == EN else (AR_HEADERS, AR_FOOTERS)
    where = rng.choice(["header", "footer", "both"])
    top = make_lines(rng, headers, rng.randint(1, 4)) if where != "footer" else []
    bottom = make_lines(rng, footers, rng.randint(1, 3)) if where != "header" else []
    return Boilerplate(side, top, bottom)
