"""Names of the platform's categories and audiences as English msgids, for Python and
templates alike (templates translate them with `_()`)."""

from __future__ import annotations

from events.models import Audience, Category
from venskab.i18n import N_

CATEGORY_NAMES: dict[str, str] = {
    Category.EXHIBITION: N_("Exhibition"),
    Category.FILM: N_("Film screening"),
    Category.WORKSHOP: N_("Workshop / knowledge exchange"),
    Category.VETERANS: N_("Veterans' programme"),
    Category.CAMP: N_("Summer camp"),
}

AUDIENCE_NAMES: dict[str, str] = {
    Audience.EVERYONE: N_("Everyone"),
    Audience.FAMILIES: N_("Families"),
    Audience.CHILDREN: N_("Children"),
    Audience.ADULTS: N_("Adults"),
}
