"""Names of a child's swimming ability and language levels, one wording for the family's form,
the staff's roster and the CSV (English msgids, translated when shown)."""

from __future__ import annotations

from booking.models import LanguageLevel, Swimming
from venskab.i18n import N_

SWIMMING = {
    Swimming.CANNOT: N_("Cannot swim"),
    Swimming.WITH_AID: N_("Swims with armbands or a float"),
    Swimming.BEGINNER: N_("Swims a few metres alone"),
    Swimming.CONFIDENT: N_("Swims 25 metres or more"),
}
LEVELS = {
    LanguageLevel.NONE: N_("None"),
    LanguageLevel.SOME: N_("A few words"),
    LanguageLevel.GOOD: N_("Good"),
    LanguageLevel.FLUENT: N_("Fluent"),
}
