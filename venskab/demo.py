"""The demo programme: what `venskab seed-demo` loads into an empty database.

A realistic programme of the Copenhagen–Kyiv friendship-city agreement in Ukrainian, Danish and
English: exhibitions, film screenings, knowledge-exchange workshops, a veterans' evening and the
children's summer camp, at four Copenhagen venues. Every date is relative to `now`, so the demo
always looks current. Everything goes through events.services, the same rules as organisers'
input. The data are plain dicts below; the functions at the end only place them in time.

Deliberate details to show the platform's behaviour: the animated-shorts screening has no Danish
text (visible fallback), one film showing is cancelled, one exhibition runs across a clock
change, and one workshop is still a draft.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from babel.dates import format_date
from tortoise.transactions import in_transaction

from booking import camp
from booking.models import AllocationRule, Camp, LanguageLevel, Swimming
from events.models import Category, Event, EventStatus, Occurrence, OccurrenceStatus, Venue
from events.services import (
    LOCAL,
    EventInput,
    OccurrenceInput,
    VenueInput,
    cancel_occurrence,
    local_day_start,
    save_event,
    save_occurrence,
    save_venue,
    set_event_status,
)
from venskab.models import OutboxMessage

POSTERS = "/static/posters/"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BABEL_LOCALES = {"uk": "uk_UA", "da": "da_DK", "en": "en_GB"}
# How the one-line summary names each category.
CATEGORY_NAMES = {
    Category.EXHIBITION: "exhibitions",
    Category.FILM: "films",
    Category.WORKSHOP: "workshops",
    Category.VETERANS: "veterans' programme",
    Category.CAMP: "summer camp",
}

# ---------------------------------------------------------------- venues


def _osm(lat: float, lon: float) -> str:
    """An OpenStreetMap link with a marker on the venue."""
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


VENUES: list[dict[str, Any]] = [
    {
        "slug": "kulturhus-brygge",
        "name": "Kulturhus Brygge",
        "address": "Islands Brygge 18, 2300 København S",
        "map_url": _osm(55.66420, 12.57790),
        "step_free": True,
        "hearing_loop": True,
        "accessibility_notes": {
            "uk": (
                "Безбар'єрний вхід з боку гавані та ліфт на всі поверхи. У залі є індукційна "
                "петля, на першому поверсі — туалет для людей з інвалідністю. Дитячі візочки можна "
                "залишити біля стійки бібліотеки."
            ),
            "da": (
                "Niveaufri indgang fra havnesiden og elevator til alle etager. Teleslynge i salen "
                "og handicaptoilet i stueetagen. Barnevogne kan stilles ved bibliotekets skranke."
            ),
            "en": (
                "Step-free entrance from the harbour side and a lift to every floor. Hearing loop "
                "in the hall and an accessible toilet on the ground floor. Pushchairs can be left "
                "by the library desk."
            ),
        },
    },
    {
        "slug": "kino-lyset",
        "name": "Kino Lyset",
        "address": "Vesterbrogade 35, 1620 København V",
        "map_url": _osm(55.67280, 12.55950),
        "step_free": True,
        "hearing_loop": True,
        "accessibility_notes": {
            "uk": (
                "Безбар'єрний доступ до залу на першому поверсі, до залу нагорі можна піднятися "
                "ліфтом. У кожному залі є місця для крісел колісних у першому ряду — вкажіть це "
                "під час реєстрації. В обох залах є індукційна петля."
            ),
            "da": (
                "Niveaufri adgang til salen i stueetagen; salen på første sal nås med elevator. "
                "Kørestolspladser på forreste række i begge sale – skriv det gerne i din "
                "tilmelding. Teleslynge i begge sale."
            ),
            "en": (
                "Step-free access to the ground-floor cinema; the upstairs cinema is reached by "
                "lift. Wheelchair spaces in the front row of both cinemas – please mention it when "
                "you register. Hearing loop in both cinemas."
            ),
        },
    },
    {
        "slug": "raadhuset-festsalen",
        "name": "Københavns Rådhus, Festsalen",
        "address": "Rådhuspladsen 1, 1550 København V",
        "map_url": _osm(55.67590, 12.56910),
        "step_free": True,
        "hearing_loop": True,
        "accessibility_notes": {
            "uk": (
                "Вхід через головні двері з Ратушної площі (Rådhuspladsen); ліфт біля вестибюлю "
                "піднімає до Святкової зали (Festsalen). У залі є індукційна петля, на тому ж "
                "поверсі — туалет для людей з інвалідністю."
            ),
            "da": (
                "Adgang ad hovedindgangen fra Rådhuspladsen; en elevator ved forhallen kører op "
                "til Festsalen. Teleslynge i salen og handicaptoilet på samme etage."
            ),
            "en": (
                "Enter through the main door on Rådhuspladsen; a lift by the entrance hall goes up "
                "to the Festsal. Hearing loop in the hall and an accessible toilet on the same "
                "floor."
            ),
        },
    },
    {
        "slug": "faelledpavillonen",
        "name": "Fælledpavillonen",
        "address": "Borgmester Jensens Allé 20, 2100 København Ø",
        "map_url": _osm(55.70080, 12.57170),
        "step_free": True,
        "hearing_loop": False,
        "accessibility_notes": {
            "uk": (
                "Павільйон розташований на одному рівні, біля входу є пандус. Доріжки від "
                "Østerbrogade заасфальтовані, останні 50 метрів — утрамбований гравій. Індукційної "
                "петлі немає. Галявина та дитячий майданчик — одразу біля входу."
            ),
            "da": (
                "Pavillonen er i ét plan med rampe ved indgangen. Stierne fra Østerbrogade er "
                "belagte; de sidste 50 meter er fast grus. Ingen teleslynge. Plænen og legepladsen "
                "ligger lige udenfor."
            ),
            "en": (
                "The pavilion is on one level with a ramp at the entrance. The paths from "
                "Østerbrogade are paved; the last 50 metres are firm gravel. No hearing loop. The "
                "lawn and the playground are right outside."
            ),
        },
    },
]

# ---------------------------------------------------------------- exhibitions
# "run": days before/after today of the first and last day, or "across-clock-change".

EXHIBITIONS: list[dict[str, Any]] = [
    {
        "slug": "two-cities-by-the-water",
        "venue": "kulturhus-brygge",
        "run": (-21, 24),
        "poster": "two-cities-by-the-water.svg",
        "texts": {
            "uk": {
                "title": "Два міста біля води: фотографії Києва та Копенгагена",
                "summary": (
                    "Фотографи з Києва та Копенгагена показують, що означають річка й гавань для "
                    "людей, які живуть поруч із ними. Вхід вільний, без реєстрації — у години "
                    "роботи бібліотеки."
                ),
                "description": (
                    (
                        "Київ виріс уздовж Дніпра, Копенгаген — уздовж своєї гавані. На цій "
                        "виставці вісім фотографів — по четверо з кожного міста — протягом цілого "
                        "року спостерігали за буденним життям біля води: ранкові плавці на Islands "
                        "Brygge та на Трухановому острові, рибалки на мостах, родини на набережних "
                        "у неділю після обіду."
                    ),
                    (
                        "Частину київських світлин зроблено у 2022–2024 роках, і на деяких із них "
                        "— місто, яке живе з повітряними тривогами та відключеннями світла. Вони "
                        "висять поруч із копенгагенськими без коментарів: фотографи сподіваються, "
                        "що відвідувачі побачать стільки ж спільного, скільки й відмінного."
                    ),
                    (
                        "Виставка розміщена в залі на першому поверсі бібліотеки. Підписи — "
                        "українською, данською та англійською. Реєстрація не потрібна: приходьте "
                        "будь-коли, поки будівля відчинена."
                    ),
                ),
                "poster_alt": (
                    "Постер: синя річка під жовтим сонцем. На лівому березі — зелені пагорби й "
                    "церква із золотою банею, на правому — будинки з червоними дахами та зелений "
                    "мідний шпиль."
                ),
            },
            "da": {
                "title": "To byer ved vandet: Fotografier fra Kyiv og København",
                "summary": (
                    "Fotografer fra Kyiv og København viser, hvad en flod og en havn betyder for "
                    "dem, der bor ved dem. Gratis – kig ind, når biblioteket har åbent."
                ),
                "description": (
                    (
                        "Kyiv voksede op langs floden Dnipro, København langs havnen. I "
                        "udstillingen følger otte fotografer – fire fra hver by – hverdagen ved "
                        "vandet gennem et helt år: morgensvømmere ved Islands Brygge og på "
                        "Trukhaniv-øen, lystfiskere på broerne og familier på kajen en søndag "
                        "eftermiddag."
                    ),
                    (
                        "Flere af billederne fra Kyiv er taget i 2022–2024, og nogle viser en by, "
                        "der lever med luftalarmer og strømafbrydelser. De hænger side om side med "
                        "billederne fra København uden kommentarer, og fotograferne håber, at de "
                        "besøgende vil finde lige så meget, der er fælles, som der er forskelligt."
                    ),
                    (
                        "Udstillingen hænger i bibliotekets sal i stueetagen. Billedteksterne er "
                        "på ukrainsk, dansk og engelsk. Ingen tilmelding – kom, når huset har "
                        "åbent."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en blå flod under en gul sol. På venstre bred grønne bakker og en "
                    "kirke med gylden kuppel, på højre bred huse med røde tage og et grønt "
                    "kobberspir."
                ),
            },
            "en": {
                "title": "Two Cities by the Water: Photographs from Kyiv and Copenhagen",
                "summary": (
                    "Photographers from Kyiv and Copenhagen show what a river and a harbour mean "
                    "to the people who live beside them. Free – drop in whenever the library is "
                    "open."
                ),
                "description": (
                    (
                        "Kyiv grew up along the Dnipro, Copenhagen along its harbour. In this "
                        "exhibition, eight photographers – four from each city – follow everyday "
                        "life by the water through a whole year: morning swimmers at Islands "
                        "Brygge and on Trukhaniv Island, anglers on the bridges, families on the "
                        "embankments on a Sunday afternoon."
                    ),
                    (
                        "Several of the Kyiv photographs were taken in 2022–2024, and some show a "
                        "city living with air-raid alerts and power cuts. They hang next to the "
                        "Copenhagen pictures without comment; the photographers hope visitors will "
                        "find as much that is shared as what is different."
                    ),
                    (
                        "The exhibition is in the library's ground-floor hall. Captions are in "
                        "Ukrainian, Danish and English. No registration – come whenever the "
                        "building is open."
                    ),
                ),
                "poster_alt": (
                    "Poster: a blue river under a yellow sun. On the left bank, green hills and a "
                    "church with a golden dome; on the right bank, red-roofed houses and a green "
                    "copper spire."
                ),
            },
        },
    },
    {
        "slug": "my-two-cities-drawings",
        "venue": "raadhuset-festsalen",
        "run": (9, 43),
        "audience": "families",
        "poster": "my-two-cities.svg",
        "texts": {
            "uk": {
                "title": "Мої два міста: малюнки українських дітей у Копенгагені",
                "summary": (
                    "Понад 100 малюнків дітей віком від 5 до 14 років — про місто, звідки вони "
                    "родом, і місто, де живуть зараз. У Святковій залі Ратуші, вхід вільний для "
                    "всіх."
                ),
                "description": (
                    (
                        "Минулої весни дітей з українських родин у Копенгагені попросили "
                        "намалювати два місця: те, що вони пам'ятають з дому, і те, яке їм "
                        "подобається в Копенгагені. Відповіді найрізноманітніші — від бабусиного "
                        "балкона в Харкові до гірки на майданчику Superkilen, від станції "
                        "київського метро до велосипедного кошика, повного покупок."
                    ),
                    (
                        "Малюнки створювали в групах продовженого дня, бібліотеках та українських "
                        "суботніх школах по всьому місту, і діти самі обирали, які з них показати. "
                        "Під кожним малюнком — ім'я та вік дитини, з дозволу родини."
                    ),
                    (
                        "Приходьте всією родиною! Для маленьких відвідувачів є стіл для малювання, "
                        "а в останні вихідні юні художники зможуть забрати свої малюнки додому."
                    ),
                ),
                "poster_alt": (
                    "Постер: дитячий малюнок — жовтий будинок із червоним дахом, сонце в кутку та "
                    "двоє людей, які тримаються за руки на зеленій траві."
                ),
            },
            "da": {
                "title": "Mine to byer: Tegninger af ukrainske børn i København",
                "summary": (
                    "Over 100 tegninger af børn fra 5 til 14 år om byen, de kommer fra, og byen, "
                    "de bor i nu. I Rådhusets Festsal – gratis og åben for alle."
                ),
                "description": (
                    (
                        "Sidste forår blev børn fra ukrainske familier i København bedt om at "
                        "tegne to steder: et sted, de husker hjemmefra, og et sted, de holder af i "
                        "København. Svarene spænder fra en bedstemors altan i Kharkiv til "
                        "rutsjebanen på legepladsen i Superkilen, fra en metrostation i Kyiv til "
                        "en cykelkurv fuld af indkøb."
                    ),
                    (
                        "Tegningerne er lavet i fritidsklubber, på biblioteker og i ukrainske "
                        "lørdagsskoler rundt om i byen, og børnene har selv valgt, hvilke de ville "
                        "vise. Hver tegning bærer barnets fornavn og alder – med familiens "
                        "tilladelse."
                    ),
                    (
                        "Kom gerne hele familien. Der står et tegnebord klar til besøgende børn, "
                        "og den sidste weekend må de unge kunstnere tage deres tegninger med hjem."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en børnetegning af et gult hus med rødt tag, en sol i hjørnet og to "
                    "personer, der holder hinanden i hånden på det grønne græs."
                ),
            },
            "en": {
                "title": "My Two Cities: Drawings by Ukrainian Children in Copenhagen",
                "summary": (
                    "More than 100 drawings by children aged 5 to 14 about the city they come from "
                    "and the city they live in now. In the City Hall's Festsal – free and open to "
                    "all."
                ),
                "description": (
                    (
                        "Last spring, children from Ukrainian families in Copenhagen were asked to "
                        "draw two places: somewhere they remember from home, and somewhere they "
                        "like in Copenhagen. The answers range from a grandmother's balcony in "
                        "Kharkiv to the slide at the Superkilen playground, from a Kyiv metro "
                        "station to a bicycle basket full of shopping."
                    ),
                    (
                        "The drawings were made in after-school clubs, libraries and Ukrainian "
                        "Saturday schools across the city, and the children chose for themselves "
                        "which ones to show. Each drawing carries the child's first name and age, "
                        "with the family's permission."
                    ),
                    (
                        "Families are very welcome to come together. There is a drawing table for "
                        "visiting children, and on the last weekend the young artists may take "
                        "their drawings home."
                    ),
                ),
                "poster_alt": (
                    "Poster: a child's drawing of a yellow house with a red roof, a sun in the "
                    "corner and two people holding hands on green grass."
                ),
            },
        },
    },
    {
        "slug": "petrykivka-painting",
        "venue": "faelledpavillonen",
        "run": "across-clock-change",
        "poster": "petrykivka.svg",
        "texts": {
            "uk": {
                "title": "Петриківка: український декоративний розпис сьогодні",
                "summary": (
                    "Квіти, птахи та закручене листя, намальовані пензликом з котячої шерсті: "
                    "народне мистецтво з села Петриківка в роботах п'ятьох майстрів, які тепер "
                    "живуть у Данії. Вхід вільний."
                ),
                "description": (
                    (
                        "Петриківський розпис отримав назву від села неподалік Дніпра, де його "
                        "практикують уже понад двісті років. Яскраві квіти, ягоди й птахів малюють "
                        "мазок за мазком пензликом з котячої шерсті або навіть кінчиком пальця. "
                        "Цей розпис внесено до списку нематеріальної культурної спадщини людства "
                        "ЮНЕСКО."
                    ),
                    (
                        "П'ятеро майстрів, які приїхали до Данії після 2022 року, показують тут "
                        "нові роботи: традиційні дошки й тарілки поруч із творами, де орнамент "
                        "зустрічається з данськими мотивами, — оселедець, вантажний велосипед, "
                        "вежа копенгагенської Ратуші."
                    ),
                    (
                        "Щосуботи під час виставки з 12:00 до 15:00 майстри запрошують за відкриті "
                        "столи для розпису. Діти й дорослі можуть самі спробувати зробити перші "
                        "мазки; матеріали надаємо, попередня реєстрація не потрібна."
                    ),
                ),
                "poster_alt": (
                    "Постер: червоні й жовті квіти із закрученим зеленим листям і маленька "
                    "помаранчева пташка, намальовані на чорному тлі."
                ),
            },
            "da": {
                "title": "Petrykivka: Ukrainsk dekorationsmaleri i dag",
                "summary": (
                    "Blomster, fugle og snoede blade malet med en pensel af kattehår: folkekunsten "
                    "fra landsbyen Petrykivka, vist af fem malere, der nu bor i Danmark. Gratis, "
                    "fri adgang."
                ),
                "description": (
                    (
                        "Petrykivka-maleriet har navn efter en landsby nær byen Dnipro, hvor det "
                        "er blevet dyrket i mere end to hundrede år. De klare blomster, bær og "
                        "fugle males strøg for strøg med en pensel af kattehår eller blot en "
                        "fingerspids, og maleriet står på UNESCO's liste over menneskehedens "
                        "immaterielle kulturarv."
                    ),
                    (
                        "Fem malere, der kom til Danmark efter 2022, viser her nye værker: "
                        "traditionelle tavler og tallerkener side om side med værker, hvor "
                        "ornamentikken møder danske motiver – en sild, en ladcykel, Københavns "
                        "Rådhustårn."
                    ),
                    (
                        "På udstillingens lørdage holder malerne åbent værksted mellem kl. 12 og "
                        "15. Børn og voksne kan selv prøve de første penselstrøg; materialerne er "
                        "der, og det kræver ingen tilmelding."
                    ),
                ),
                "poster_alt": (
                    "Plakat: røde og gule blomster med snoede grønne blade og en lille orange "
                    "fugl, malet på sort baggrund."
                ),
            },
            "en": {
                "title": "Petrykivka: Ukrainian Decorative Painting Today",
                "summary": (
                    "Flowers, birds and curling leaves painted with a cat's-hair brush: the folk "
                    "art of the village of Petrykivka, shown by five painters who now live in "
                    "Denmark. Free, drop in."
                ),
                "description": (
                    (
                        "Petrykivka painting takes its name from a village near the city of "
                        "Dnipro, where it has been practised for more than two hundred years. Its "
                        "bright flowers, berries and birds are painted stroke by stroke with a "
                        "brush of cat's hair, or simply a fingertip, and the art is on UNESCO's "
                        "list of the intangible cultural heritage of humanity."
                    ),
                    (
                        "Five painters who came to Denmark after 2022 show new work here: "
                        "traditional boards and plates alongside pieces in which the ornament "
                        "meets Danish themes – a herring, a cargo bike, the tower of Copenhagen "
                        "City Hall."
                    ),
                    (
                        "On the Saturdays of the exhibition the painters open their painting "
                        "tables from 12:00 to 15:00. Children and adults can try the first strokes "
                        "themselves; materials are provided and no registration is needed."
                    ),
                ),
                "poster_alt": (
                    "Poster: red and yellow flowers with curling green leaves and a small orange "
                    "bird, painted on a black background."
                ),
            },
        },
    },
]

# ---------------------------------------------------------------- films
# "showings": (weekday, weeks after the coming one, local start time); "cancel": index of a
# showing that the organisers cancelled.

FILMS: list[dict[str, Any]] = [
    {
        "slug": "the-night-trains",
        "venue": "kino-lyset",
        "spoken": "uk",
        "subtitles": "da",
        "minutes": 120,
        "capacity": 90,
        "max_seats": 4,
        "showings": [("thu", 0, "19:00"), ("thu", 1, "19:00"), ("thu", 2, "19:00")],
        "cancel": 1,
        "poster": "night-trains.svg",
        "texts": {
            "uk": {
                "title": "Нічні потяги",
                "summary": (
                    "Документальний фільм про залізничників, які не давали зупинитися потягам в "
                    "Україні протягом першого року повномасштабної війни. Українською мовою з "
                    "данськими субтитрами, після показу — розмова."
                ),
                "description": (
                    (
                        "Коли в лютому 2022 року почалося повномасштабне вторгнення Росії, "
                        "залізниця стала для України артерією життя. Потяги вивозили мільйони "
                        "людей на захід, у безпеку, і везли на схід продукти, ліки та генератори — "
                        "часто в темряві й під загрозою обстрілів. «Нічні потяги» розповідають про "
                        "трьох залізничників упродовж того першого року: провідницю, диспетчера та "
                        "інженера колії."
                    ),
                    (
                        "Це тихий, камерний фільм, а не гучна драма, проте в ньому є кадри та "
                        "звуки війни, зокрема сирени повітряної тривоги. Тим, хто сам пройшов цей "
                        "шлях, дивитися може бути важко. Ви можете вийти із зали будь-коли — у фоє "
                        "будуть волонтери, які говорять українською та данською."
                    ),
                    (
                        "Після кожного показу — коротка розмова українською та данською з людьми, "
                        "які їхали цими потягами. Рекомендовано глядачам від 15 років. Тривалість "
                        "фільму — 92 хвилини."
                    ),
                ),
                "poster_alt": (
                    "Постер: потяг зі світлими жовтими вікнами їде темно-синім нічним краєвидом "
                    "під молодим місяцем."
                ),
            },
            "da": {
                "title": "Nattogene",
                "summary": (
                    "En dokumentarfilm om de jernbanefolk, der holdt Ukraines tog kørende gennem "
                    "det første år af fuldskalakrigen. På ukrainsk med danske undertekster, "
                    "efterfulgt af en samtale."
                ),
                "description": (
                    (
                        "Da Ruslands fuldskalainvasion begyndte i februar 2022, blev jernbanen "
                        "Ukraines livline. Togene bragte millioner af mennesker mod vest i "
                        "sikkerhed og kørte fødevarer, medicin og generatorer mod øst – ofte i "
                        "mørke og under trussel om angreb. Nattogene følger tre jernbanefolk "
                        "gennem det første år: en togkonduktør, en togleder og en baneingeniør."
                    ),
                    (
                        "Filmen er stille og nærværende snarere end dramatisk, men den indeholder "
                        "billeder og lyde fra krigen, også luftalarmer. Den kan være svær at se "
                        "for dem, der selv har foretaget rejsen. Du er altid velkommen til at "
                        "forlade salen, og i foyeren er der frivillige, som taler ukrainsk og "
                        "dansk."
                    ),
                    (
                        "Efter hver visning er der en kort samtale på ukrainsk og dansk med "
                        "mennesker, der selv rejste med togene. Anbefales fra 15 år. Filmens "
                        "spilletid er 92 minutter."
                    ),
                ),
                "poster_alt": (
                    "Plakat: et tog med oplyste gule vinduer kører gennem et mørkeblåt natlandskab "
                    "under en månesegl."
                ),
            },
            "en": {
                "title": "The Night Trains",
                "summary": (
                    "A documentary about the railway workers who kept Ukraine's trains running "
                    "through the first year of the full-scale war. In Ukrainian with Danish "
                    "subtitles, followed by a conversation."
                ),
                "description": (
                    (
                        "When Russia's full-scale invasion began in February 2022, the railway "
                        "became Ukraine's lifeline. Trains carried millions of people west to "
                        "safety and took food, medicine and generators east, often in the dark and "
                        "under threat of attack. The Night Trains follows three railway workers "
                        "through that first year: a conductor, a dispatcher and a track engineer."
                    ),
                    (
                        "The film is quiet and close rather than dramatic, but it contains images "
                        "and sounds of the war, including air-raid sirens. It may be hard to watch "
                        "for those who made the same journey. You are welcome to leave the cinema "
                        "at any time, and volunteers who speak Ukrainian and Danish will be in the "
                        "foyer."
                    ),
                    (
                        "After each screening there is a short conversation in Ukrainian and "
                        "Danish with people who travelled on these trains. Recommended from 15 "
                        "years. The film runs for 92 minutes."
                    ),
                ),
                "poster_alt": (
                    "Poster: a train with lit yellow windows crossing a dark blue night landscape "
                    "under a crescent moon."
                ),
            },
        },
    },
    {
        "slug": "summer-on-bird-island",
        "venue": "kino-lyset",
        "audience": "families",
        "spoken": "da",
        "subtitles": "uk",
        "minutes": 90,
        "capacity": 120,
        "max_seats": 6,
        "showings": [("sat", 0, "14:00"), ("sun", 1, "11:00"), ("sat", 2, "14:00")],
        "poster": "bird-island.svg",
        "texts": {
            "uk": {
                "title": "Літо на Пташиному острові",
                "summary": (
                    "Теплий данський сімейний фільм про двоюрідних брата й сестру, маяк і маленьке "
                    "тюленя, яке загубило маму. Данською мовою з українськими субтитрами, для "
                    "дітей від 7 років і їхніх дорослих."
                ),
                "description": (
                    (
                        "Одинадцятирічну Іду відправляють на літо до дідуся — останнього доглядача "
                        "маяка на крихітному острові в протоці Каттегат. Її двоюрідний брат Мальте "
                        "волів би опинитися будь-де, тільки не там. Аж ось діти знаходять "
                        "тюленятко, яке загубило маму, а до острова наближається шторм."
                    ),
                    (
                        "Фільм смішний, трохи напружений, але зовсім не страшний. Він показує "
                        "данське літо, якого багато новоприбулих ще не бачили: світлі ночі, "
                        "холодне море і цілий острів, який можна об'їздити на велосипеді."
                    ),
                    (
                        "Українські субтитри спеціально для цієї програми підготували "
                        "волонтери-перекладачі. Світло в залі лише приглушать, а не вимкнуть "
                        "повністю, а для менших дітей є додаткові подушки на сидіння. Тривалість — "
                        "84 хвилини."
                    ),
                ),
                "poster_alt": (
                    "Постер: маленький зелений острів із білим маяком серед синього моря, над ним "
                    "літають чайки."
                ),
            },
            "da": {
                "title": "Sommeren på Fugleøen",
                "summary": (
                    "En varm dansk familiefilm om to søskendebørn, et fyrtårn og en sælunge, der "
                    "har mistet sin mor. På dansk med ukrainske undertekster, for børn fra 7 år og "
                    "deres voksne."
                ),
                "description": (
                    (
                        "Den 11-årige Ida skal tilbringe sommeren hos sin morfar, den sidste "
                        "fyrpasser på en lille ø i Kattegat. Hendes fætter Malthe ville hellere "
                        "være alle andre steder. Så finder de to en sælunge, der har mistet sin "
                        "mor – og der er storm på vej."
                    ),
                    (
                        "Filmen er sjov, lidt spændende og aldrig uhyggelig, og den viser en dansk "
                        "sommer, som mange nytilkomne endnu ikke har oplevet: lyse nætter, koldt "
                        "vand og en hel ø at udforske på cykel."
                    ),
                    (
                        "De ukrainske undertekster er lavet til programmet af frivillige "
                        "oversættere. Lyset i salen bliver kun dæmpet, ikke slukket, og der er "
                        "ekstra siddepuder til de mindste. Spilletid 84 minutter."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en lille grøn ø med et hvidt fyrtårn i et blåt hav, med måger, der "
                    "flyver over den."
                ),
            },
            "en": {
                "title": "The Summer on Bird Island",
                "summary": (
                    "A warm Danish family film about two cousins, a lighthouse and a seal pup that "
                    "has lost its mother. In Danish with Ukrainian subtitles, for children from 7 "
                    "and their grown-ups."
                ),
                "description": (
                    (
                        "Eleven-year-old Ida is sent to spend the summer with her grandfather, the "
                        "last lighthouse keeper on a tiny island in the Kattegat. Her cousin "
                        "Malthe would rather be anywhere else. Then the two of them find a seal "
                        "pup that has lost its mother – and a storm is on its way."
                    ),
                    (
                        "The film is funny, a little exciting and never frightening, and it shows "
                        "a Danish summer that many newcomers have not yet seen: light nights, cold "
                        "water and a whole island to explore by bicycle."
                    ),
                    (
                        "The Ukrainian subtitles were made for this programme by volunteer "
                        "translators. The lights in the cinema are only dimmed, not switched off, "
                        "and there are booster cushions for smaller children. Running time 84 "
                        "minutes."
                    ),
                ),
                "poster_alt": (
                    "Poster: a small green island with a white lighthouse in a blue sea, with "
                    "seagulls flying overhead."
                ),
            },
        },
    },
    {
        "slug": "saturday-in-podil",
        "venue": "kino-lyset",
        "spoken": "uk",
        "subtitles": "en",
        "price_ore": 6000,
        "minutes": 105,
        "capacity": 60,
        "max_seats": 4,
        "showings": [("fri", 1, "19:30"), ("fri", 3, "19:30")],
        "poster": "saturday-in-podil.svg",
        "texts": {
            "uk": {
                "title": "Субота на Подолі",
                "summary": (
                    "Лагідна комедія про один день у київському дворику, де сусіди готуються до "
                    "весілля, дня народження та зовсім маленької революції. Українською мовою з "
                    "англійськими субтитрами. Квиток — 60 крон."
                ),
                "description": (
                    (
                        "У старому дворику на Подолі, київському районі біля Дніпра, в усіх є "
                        "плани на суботу. Баба Галя пече для весілля онуки, двірник нарешті хоче "
                        "пофарбувати ворота, а діти з третього поверху вирішили врятувати дворовий "
                        "каштан від забудовників."
                    ),
                    (
                        "«Суботу на Подолі» зняли влітку 2021 року, за кілька місяців до "
                        "повномасштабного вторгнення, і для багатьох киян фільм став маленьким "
                        "скарбом — портретом міського гумору й добросусідства. Тут його показують "
                        "з англійськими субтитрами."
                    ),
                    (
                        "Квиток коштує 60 крон — ці гроші покривають оренду фільму й зали. Якщо "
                        "ціна заважає вам прийти, напишіть організаторам, і ми надішлемо код на "
                        "безкоштовний квиток; пояснювати причину не потрібно. Тривалість — 101 "
                        "хвилина."
                    ),
                ),
                "poster_alt": (
                    "Постер: ряд різнобарвних старих будинків на крутій вулиці під помаранчевим "
                    "вечірнім небом, попереду — каштан."
                ),
            },
            "da": {
                "title": "Lørdag i Podil",
                "summary": (
                    "En lun komedie om én dag i en baggård i Kyiv, hvor naboerne forbereder et "
                    "bryllup, en fødselsdag og en ganske lille revolution. På ukrainsk med "
                    "engelske undertekster. Billetter 60 kr."
                ),
                "description": (
                    (
                        "I en gammel baggård i Podil, Kyivs kvarter ned mod floden, har alle "
                        "planer for lørdagen. Bedstemor Halyna bager til sit barnebarns bryllup, "
                        "viceværten vil endelig male porten, og børnene på tredje sal har "
                        "besluttet at redde gårdens kastanjetræ fra bygherrerne."
                    ),
                    (
                        "Lørdag i Podil blev optaget i sommeren 2021, få måneder før "
                        "fuldskalainvasionen, og er blevet en lille skat for mange kyivere: et "
                        "portræt af byens humor og naboskab. Filmen vises her med engelske "
                        "undertekster."
                    ),
                    (
                        "Billetten koster 60 kr. og dækker leje af film og sal. Hvis prisen holder "
                        "dig væk, så skriv til arrangørerne og få en kode til en gratis billet – "
                        "du behøver ikke give en grund. Spilletid 101 minutter."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en række farverige gamle huse på en stejl gade under en orange "
                    "aftenhimmel med et kastanjetræ foran."
                ),
            },
            "en": {
                "title": "Saturday in Podil",
                "summary": (
                    "A gentle comedy about one day in a Kyiv courtyard, where the neighbours "
                    "prepare a wedding, a birthday and a very small revolution. In Ukrainian with "
                    "English subtitles. Tickets 60 kr."
                ),
                "description": (
                    (
                        "In an old courtyard in Podil, Kyiv's quarter down by the river, everyone "
                        "has plans for Saturday. Granny Halyna is baking for her granddaughter's "
                        "wedding, the caretaker finally wants to paint the gate, and the children "
                        "on the third floor have decided to save the courtyard's chestnut tree "
                        "from the developers."
                    ),
                    (
                        "Saturday in Podil was filmed in the summer of 2021, a few months before "
                        "the full-scale invasion, and it has become a small treasure for many "
                        "Kyivans: a portrait of the city's humour and neighbourliness. It is shown "
                        "here with English subtitles."
                    ),
                    (
                        "A ticket costs 60 kr, which covers the rental of the film and the cinema. "
                        "If the price keeps you from coming, write to the organisers for a "
                        "free-ticket code – you do not need to give a reason. Running time 101 "
                        "minutes."
                    ),
                ),
                "poster_alt": (
                    "Poster: a row of colourful old houses on a steep street under an orange "
                    "evening sky, with a chestnut tree in front."
                ),
            },
        },
    },
    {
        # No Danish text yet: Danish readers see the English one, marked as such.
        "slug": "fox-hedgehog-and-friends",
        "venue": "kulturhus-brygge",
        "audience": "families",
        "spoken": "uk",
        "subtitles": "en",
        "minutes": 60,
        "capacity": 60,
        "max_seats": 6,
        "showings": [("sun", 0, "11:00"), ("sun", 2, "11:00")],
        "poster": "fox-and-hedgehog.svg",
        "texts": {
            "uk": {
                "title": "Лисичка, Їжачок і друзі: українські анімаційні короткометражки",
                "summary": (
                    "Шість коротких мультфільмів українських студій для дітей від 4 років — про "
                    "дружбу, сміливість і дуже голодного їжачка. Українською мовою з англійськими "
                    "субтитрами, загалом 55 хвилин."
                ),
                "description": (
                    (
                        "Шість короткометражок — від мальованої казки до веселої пластилінової "
                        "анімації — створених українськими студіями останніми роками. У більшості "
                        "з них майже немає діалогів, тож стежити за історіями зможуть діти, які "
                        "говорять данською, англійською чи українською."
                    ),
                    (
                        "Між фільмами бібліотекарка-казкарка розмовлятиме з дітьми про побачене — "
                        "українською та англійською. Уся програма триває близько 55 хвилин, якраз "
                        "для маленьких глядачів."
                    ),
                    "За бажанням візьміть із собою подушку: перші ряди — це килимки на підлозі.",
                ),
                "poster_alt": (
                    "Постер: руда лисичка й маленький коричневий їжачок сидять поруч на зеленому "
                    "пагорбі під великим жовтим місяцем."
                ),
            },
            "en": {
                "title": "Fox, Hedgehog and Friends: Ukrainian Animated Shorts",
                "summary": (
                    "Six short animated films from Ukrainian studios for children from 4 – about "
                    "friendship, courage and a very hungry hedgehog. In Ukrainian with English "
                    "subtitles, 55 minutes in all."
                ),
                "description": (
                    (
                        "Six short films, from a hand-drawn fairy tale to a cheerful clay "
                        "animation, made by Ukrainian animation studios in recent years. Most of "
                        "them have hardly any dialogue, so children who speak Danish, English or "
                        "Ukrainian can all follow the stories."
                    ),
                    (
                        "Between the films, a storyteller from the library talks with the children "
                        "about what they have seen, in Ukrainian and English. The whole programme "
                        "lasts about 55 minutes, just right for small viewers."
                    ),
                    "Bring a cushion if you like: the front rows are mats on the floor.",
                ),
                "poster_alt": (
                    "Poster: an orange fox and a small brown hedgehog sitting side by side on a "
                    "green hill under a big yellow moon."
                ),
            },
        },
    },
]

# ---------------------------------------------------------------- knowledge exchange
# "day": (weekday, weeks after the coming one); "hours": local start and end.

WORKSHOPS: list[dict[str, Any]] = [
    {
        "slug": "pocket-parks-and-climate-adaptation",
        "venue": "raadhuset-festsalen",
        "spoken": "en",
        "day": ("tue", 1),
        "hours": ("13:00", "16:30"),
        "capacity": 40,
        "poster": "pocket-parks.svg",
        "texts": {
            "uk": {
                "title": (
                    "Кишенькові парки та адаптація до зміни клімату: досвід Копенгагена й Києва"
                ),
                "summary": (
                    "Містобудівники, ландшафтні архітектори та мешканці обох столиць розповідають, "
                    "як маленькі зелені простори охолоджують вулиці й затримують зливову воду. "
                    "Обмін досвідом із прогулянкою до двох кишенькових парків."
                ),
                "description": (
                    (
                        "Після руйнівної зливи в липні 2011 року Копенгаген почав перетворювати "
                        "площі, внутрішні дворики та занедбані куточки на кишенькові парки, які "
                        "водночас слугують резервуарами для дощової води. Київ планує зелені "
                        "простори для міста, якому треба водночас відбудовуватися і ставати "
                        "зеленішим: у дворах, на шкільних подвір'ях і вздовж численних малих річок."
                    ),
                    (
                        "У першій частині дня фахівці з обох міст представлять проєкти, які "
                        "спрацювали, і кілька таких, що не вдалися: які умови мають витримувати "
                        "рослини, як залучали мешканців і скільки коштує створити та утримувати "
                        "кишеньковий парк. Після короткої перерви ми пройдемося до двох "
                        "кишенькових парків поблизу й поговоримо з людьми, які їх доглядають."
                    ),
                    (
                        "Семінар проходить англійською мовою з перекладом українською та данською. "
                        "Він розрахований на фахівців, студентів і всіх, кому не байдужі зелені "
                        "простори у своєму районі. Будь ласка, взуйте зручне взуття для "
                        "30-хвилинної прогулянки."
                    ),
                ),
                "poster_alt": (
                    "Постер: маленький парк із деревом, лавкою та басейном для дощової води між "
                    "двома сірими багатоквартирними будинками; з хмари падає дощ."
                ),
            },
            "da": {
                "title": "Lommeparker og klimatilpasning: København og Kyiv udveksler erfaringer",
                "summary": (
                    "Byplanlæggere, landskabsarkitekter og beboere fra begge hovedstæder "
                    "fortæller, hvordan små grønne rum køler gaderne og opsamler skybrudsvand. "
                    "Vidensudveksling med en gåtur til to lommeparker."
                ),
                "description": (
                    (
                        "Siden skybruddet i juli 2011 har København forvandlet pladser, gårde og "
                        "overskudsarealer til lommeparker, der også fungerer som "
                        "regnvandsbassiner. Kyiv planlægger grønne rum for en by, der på samme tid "
                        "skal genopbygges og blive grønnere – i gårdene, på skolernes arealer og "
                        "langs byens mange små vandløb."
                    ),
                    (
                        "I eftermiddagens første del fortæller fagfolk fra begge byer om "
                        "projekter, der lykkedes, og nogle, der ikke gjorde: hvad planterne skal "
                        "kunne tåle, hvordan beboerne blev inddraget, og hvad en lommepark koster "
                        "at anlægge og drive. Efter en kort pause går vi til to lommeparker i "
                        "nærheden og taler med dem, der passer dem."
                    ),
                    (
                        "Workshoppen foregår på engelsk med tolkning til ukrainsk og dansk. Den er "
                        "for fagfolk, studerende og alle, der interesserer sig for grønne områder "
                        "i deres kvarter. Tag gode sko på til en gåtur på 30 minutter."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en lille park med et træ, en bænk og et regnvandsbassin klemt inde "
                    "mellem to grå etageejendomme, mens regnen falder fra en sky."
                ),
            },
            "en": {
                "title": "Pocket Parks and Climate Adaptation: Copenhagen and Kyiv Compare Notes",
                "summary": (
                    "City planners, landscape architects and residents from both capitals share "
                    "how small green spaces cool streets and hold back cloudburst rain. A "
                    "knowledge exchange with a walk to two pocket parks."
                ),
                "description": (
                    (
                        "Since the cloudburst of July 2011, Copenhagen has been turning squares, "
                        "courtyards and leftover corners into pocket parks that double as rain "
                        "basins. Kyiv is planning green spaces for a city that must rebuild and "
                        "grow greener at the same time – in courtyards, on school grounds and "
                        "along its many small rivers."
                    ),
                    (
                        "In the first part of the afternoon, specialists from both cities present "
                        "projects that worked and some that did not: what the plants must "
                        "tolerate, how residents were involved, and what a pocket park costs to "
                        "build and keep. After a short break we walk to two pocket parks nearby "
                        "and talk with the people who look after them."
                    ),
                    (
                        "The workshop is in English with interpretation into Ukrainian and Danish. "
                        "It is for professionals, students and anyone who cares about green space "
                        "in their neighbourhood. Please wear comfortable shoes for a 30-minute "
                        "walk."
                    ),
                ),
                "poster_alt": (
                    "Poster: a small park with a tree, a bench and a rain basin squeezed between "
                    "two grey apartment blocks, with rain falling from a cloud."
                ),
            },
        },
    },
    {
        "slug": "quieter-cities-noise-management",
        "venue": "kulturhus-brygge",
        "spoken": "da",
        "day": ("wed", 2),
        "hours": ("15:00", "17:30"),
        "capacity": 30,
        "poster": "quieter-cities.svg",
        "texts": {
            "uk": {
                "title": "Тихіші міста: боротьба з шумом у Копенгагені та Києві",
                "summary": (
                    "Як вимірювати, картографувати й зменшувати міський шум від транспорту, "
                    "будівництва та нічного життя? Акустики й посадовці обох столиць діляться "
                    "інструментами та результатами."
                ),
                "description": (
                    (
                        "Шум — один із ризиків для здоров'я, який мешканці міст відчувають щодня: "
                        "від нічного руху транспорту до будмайданчиків поруч зі школами. "
                        "Копенгаген складає шумові карти всього міста, використовує тихе дорожнє "
                        "покриття та має правила для будівельних робіт і музики просто неба. Київ "
                        "стикається з тими самими питаннями — тепер ще й у місті, де багато "
                        "мешканців живуть зі стресом від сирен повітряної тривоги та гулу "
                        "генераторів."
                    ),
                    (
                        "Акустики та посадовці з обох міст покажуть шумові карти, вимірювальне "
                        "обладнання та приклади того, що допомогло зробити райони тихішими, — "
                        "зокрема й дрібниці, про які мешканці можуть попросити самі. Буде час для "
                        "запитань і обговорення тихих куточків міста: чому вони важливі та як їх "
                        "зберегти."
                    ),
                    (
                        "Семінар проходить данською мовою з перекладом українською; слайди — "
                        "англійською. Пригощаємо кавою та чаєм."
                    ),
                ),
                "poster_alt": (
                    "Постер: звукова хвиля, що стихає зліва направо, над тихою вулицею з деревами."
                ),
            },
            "da": {
                "title": "Stillere byer: Støjhåndtering i København og Kyiv",
                "summary": (
                    "Hvordan måler, kortlægger og mindsker man byens støj fra trafik, byggepladser "
                    "og natteliv? Akustikere og embedsfolk fra begge hovedstæder deler værktøjer "
                    "og resultater."
                ),
                "description": (
                    (
                        "Støj er en af de sundhedsrisici, byens borgere mærker hver dag – fra "
                        "natlig trafik til byggepladser ved siden af skoler. København kortlægger "
                        "støjen i hele byen, bruger støjreducerende asfalt og har regler for "
                        "byggearbejde og udendørs musik. Kyiv står med de samme spørgsmål, nu også "
                        "i en by, hvor mange beboere lever med stresset fra luftalarmer og "
                        "generatorer."
                    ),
                    (
                        "Akustikere og embedsfolk fra begge byer viser støjkort, måleudstyr og "
                        "eksempler på, hvad der har gjort kvarterer stillere – også de små ting, "
                        "beboerne selv kan bede om. Der er tid til spørgsmål og til en snak om "
                        "byens stille steder: hvorfor de betyder noget, og hvordan vi passer på "
                        "dem."
                    ),
                    (
                        "Workshoppen foregår på dansk med tolkning til ukrainsk; slides er på "
                        "engelsk. Der er kaffe og te."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en lydbølge, der bliver roligere fra venstre mod højre, over en "
                    "stille gade med træer."
                ),
            },
            "en": {
                "title": "Quieter Cities: Noise Management in Copenhagen and Kyiv",
                "summary": (
                    "How do you measure, map and reduce city noise from traffic, building sites "
                    "and nightlife? Acousticians and city officials from both capitals share their "
                    "tools and results."
                ),
                "description": (
                    (
                        "Noise is one of the health risks city dwellers feel every day, from "
                        "traffic at night to building sites next to schools. Copenhagen maps noise "
                        "across the whole city, uses quieter road surfaces and has rules for "
                        "building work and outdoor music. Kyiv faces the same questions, now also "
                        "in a city where many residents live with the stress of air-raid sirens "
                        "and generators."
                    ),
                    (
                        "Acousticians and officials from both cities present noise maps, measuring "
                        "equipment and examples of what has made neighbourhoods quieter, including "
                        "the small things residents can ask for themselves. There is time for "
                        "questions and for a conversation about the city's quiet places: why they "
                        "matter and how to protect them."
                    ),
                    (
                        "The workshop is in Danish with interpretation into Ukrainian; the slides "
                        "are in English. Coffee and tea are served."
                    ),
                ),
                "poster_alt": (
                    "Poster: a sound wave that grows calmer from left to right, above a quiet "
                    "street lined with trees."
                ),
            },
        },
    },
    {
        "slug": "digital-city-services",
        "venue": "kulturhus-brygge",
        "spoken": "en",
        "day": ("thu", 3),
        "hours": ("09:30", "13:00"),
        "capacity": 35,
        "poster": "digital-city-services.svg",
        "texts": {
            "uk": {
                "title": "Цифрові міські послуги: ІТ-рішення Києва та Копенгагена",
                "summary": (
                    "«Київ Цифровий», MitID, відкриті дані та сервіси, що працюють навіть під час "
                    "блекаутів: розробники й ІТ-команди обох столиць порівнюють, що вони створили "
                    "і чого навчилися."
                ),
                "description": (
                    (
                        "Міський застосунок «Київ Цифровий» об'єднує для киян сповіщення про "
                        "повітряні тривоги, мапу укриттів, проїзні квитки та оплату комунальних "
                        "послуг — і він мав працювати попри відключення світла й атаки на "
                        "енергосистему. Копенгаген будує свої цифрові послуги на спільних "
                        "загальнодержавних рішеннях, як-от MitID і Digital Post, і публікує "
                        "відкриті дані про все — від велосипедного руху до якості повітря."
                    ),
                    (
                        "У коротких виступах розробники та керівники ІТ-напрямів з обох міст "
                        "покажуть, що вони створили, як проєктують послуги для людей, яким "
                        "непросто з технологіями, і як захищають сервіси та дані. Друга частина — "
                        "відкритий обмін досвідом у малих групах: доступність, стійкість і "
                        "відкриті дані."
                    ),
                    (
                        "Семінар проходить англійською мовою. Якщо хочете самі спробувати приклади "
                        "з відкритими даними, візьміть ноутбук, але це не обов'язково."
                    ),
                ),
                "poster_alt": (
                    "Постер: телефон із мапою міста та позначками, пунктирними лініями з'єднаний з "
                    "ноутбуком і хмарою."
                ),
            },
            "da": {
                "title": "Digitale byservices: IT-løsninger fra Kyiv og København",
                "summary": (
                    "Kyiv Digital, MitID, åbne data og services, der virker under "
                    "strømafbrydelser: udviklere og kommunale IT-teams fra begge hovedstæder "
                    "sammenligner, hvad de har bygget og lært."
                ),
                "description": (
                    (
                        "Kyivs by-app Kyiv Digital samler luftalarmer, kort over beskyttelsesrum, "
                        "billetter til den kollektive trafik og betaling af forsyning ét sted – og "
                        "den skulle blive ved med at virke under strømafbrydelser og angreb på "
                        "elnettet. København bygger sine digitale services på fælles nationale "
                        "løsninger som MitID og Digital Post og offentliggør åbne data om alt fra "
                        "cykeltrafik til luftkvalitet."
                    ),
                    (
                        "I korte oplæg viser udviklere og IT-chefer fra begge byer, hvad de har "
                        "bygget, hvordan de designer til borgere, der ikke er fortrolige med "
                        "teknologi, og hvordan de beskytter services og data. Anden halvdel er en "
                        "åben erfaringsudveksling i små grupper om tilgængelighed, robusthed og "
                        "åbne data."
                    ),
                    (
                        "Workshoppen foregår på engelsk. Tag gerne en bærbar med, hvis du selv vil "
                        "prøve eksemplerne med åbne data – det er ikke et krav."
                    ),
                ),
                "poster_alt": (
                    "Plakat: en telefon med et bykort med nåle, forbundet med stiplede linjer til "
                    "en bærbar computer og en sky."
                ),
            },
            "en": {
                "title": "Digital City Services: IT Solutions from Kyiv and Copenhagen",
                "summary": (
                    "Kyiv Digital, MitID, open data and services that keep working through "
                    "blackouts: developers and city IT teams from both capitals compare what they "
                    "have built and learned."
                ),
                "description": (
                    (
                        "Kyiv's city app, Kyiv Digital, brings air-raid alerts, a map of shelters, "
                        "public transport tickets and utility payments together in one place – and "
                        "it had to keep working through power cuts and attacks on the grid. "
                        "Copenhagen builds its digital services on shared national solutions such "
                        "as MitID and Digital Post, and publishes open data on everything from "
                        "bicycle traffic to air quality."
                    ),
                    (
                        "In short talks, developers and IT managers from both cities show what "
                        "they have built, how they design for residents who are not at ease with "
                        "technology, and how they protect services and data. The second half is an "
                        "open exchange in small groups on accessibility, resilience and open data."
                    ),
                    (
                        "The workshop is in English. Bring a laptop if you would like to try the "
                        "open-data examples yourself; it is not required."
                    ),
                ),
                "poster_alt": (
                    "Poster: a phone showing a city map with pins, linked by dotted lines to a "
                    "laptop and a cloud."
                ),
            },
        },
    },
]

# Not yet published: organisers see it, the public does not.
DRAFT_WORKSHOP: dict[str, Any] = {
    "slug": "water-management-study-visit",
    "draft": True,
    "venue": "raadhuset-festsalen",
    "spoken": "en",
    "day": ("tue", 8),
    "hours": ("09:00", "15:00"),
    "capacity": 25,
    "texts": {
        "uk": {
            "title": "Чиста вода, надійні труби: навчальний візит з управління водними ресурсами",
            "summary": (
                "Інженери київського водоканалу відвідують копенгагенські водопровідні та очисні "
                "споруди. Програму ще уточнюємо."
            ),
            "description": (
                (
                    "Управління водними ресурсами — одна з галузей, у яких Копенгаген і Київ "
                    "планують довгострокову співпрацю. Інженери з Києва відвідають копенгагенську "
                    "водопровідну станцію та очисні споруди й обговорять пошук витоків, захист "
                    "підземних вод і те, як забезпечити водопостачання, коли зникає електроенергія."
                ),
                "Програму, дату та кількість місць ще погоджуємо з партнерами. Подробиці згодом.",
            ),
        },
        "da": {
            "title": "Rent vand, sikre rør: Studiebesøg om vandforvaltning",
            "summary": (
                "Ingeniører fra Kyivs vandforsyning besøger Københavns vandværker og renseanlæg. "
                "Programmet er ved at blive planlagt."
            ),
            "description": (
                (
                    "Vandforvaltning er et af de områder, hvor København og Kyiv på længere sigt "
                    "vil arbejde sammen. Ingeniører fra Kyiv besøger et københavnsk vandværk og et "
                    "renseanlæg og drøfter lækagesøgning, beskyttelse af grundvandet, og hvordan "
                    "vandet bliver ved med at løbe, når strømmen går."
                ),
                "Program, dato og antal pladser aftales stadig med partnerne. Mere følger.",
            ),
        },
        "en": {
            "title": "Clean Water, Safe Pipes: A Study Visit on Water Management",
            "summary": (
                "Engineers from Kyiv's water utility visit Copenhagen's waterworks and wastewater "
                "plants. The programme is being planned."
            ),
            "description": (
                (
                    "Water management is one of the areas in which Copenhagen and Kyiv plan to "
                    "work together in the longer term. Engineers from Kyiv will visit a Copenhagen "
                    "waterworks and a wastewater treatment plant and discuss leak detection, "
                    "protecting groundwater, and how to keep water flowing when the power fails."
                ),
                (
                    "The programme, the date and the number of places are still being agreed with "
                    "the partners. More details will follow."
                ),
            ),
        },
    },
}

# ---------------------------------------------------------------- veterans' programme

VETERANS: dict[str, Any] = {
    "slug": "coming-home-veterans-conversation",
    "venue": "kulturhus-brygge",
    "audience": "adults",
    "spoken": "uk",
    "day": ("wed", 1),
    "hours": ("17:30", "20:30"),
    "capacity": 40,
    "max_seats": 3,
    "poster": "coming-home.svg",
    "texts": {
        "uk": {
            "title": "Повернення додому: розмова ветеранів та їхніх родин",
            "summary": (
                "Вечір обміну досвідом між українськими й данськими ветеранами, їхніми родинами та "
                "людьми, які їх підтримують: взаємопідтримка, реабілітація, повернення до роботи. "
                "Українською та данською з перекладом."
            ),
            "description": (
                (
                    "Данія протягом кількох десятиліть накопичувала досвід підтримки ветеранів та "
                    "їхніх родин — через групи взаємопідтримки, реабілітацію, допомогу з "
                    "поверненням до роботи й навчання. Україна вибудовує таку підтримку в "
                    "масштабах, яких ніхто не планував, і водночас війна триває. Цей вечір "
                    "об'єднує обидві сторони на рівних."
                ),
                (
                    "Данські ветерани та фахівці ветеранських служб зустрінуться з українськими "
                    "ветеранами й ветеранками, які живуть у Копенгагені, а також із їхніми "
                    "партнерами та батьками. У коротких виступах і розмовах за круглими столами "
                    "учасники поділяться тим, що допомагає: спорт і перебування на природі, "
                    "підтримка побратимів і посестер, практична допомога у справах з установами, "
                    "підтримка дітей у ветеранських родинах."
                ),
                (
                    "Ви самі вирішуєте, скільки розповідати, — просто слухати теж цілком "
                    "нормально. Увесь вечір поруч буде україномовна психологиня, а біля зали є "
                    "тиха кімната. Захід призначений для ветеранів, їхніх родин і фахівців; будь "
                    "ласка, зареєструйтеся, щоб ми могли спланувати переклад."
                ),
            ),
            "poster_alt": (
                "Постер: відчинені вхідні двері, з яких на доріжку ллється тепле світло, під "
                "вечірнім небом."
            ),
        },
        "da": {
            "title": "Hjem igen: Veteraner og deres familier i samtale",
            "summary": (
                "En aften med erfaringsudveksling mellem ukrainske og danske veteraner, deres "
                "familier og dem, der støtter dem: støtte fra andre veteraner, rehabilitering og "
                "vejen tilbage til arbejde. På ukrainsk og dansk med tolkning."
            ),
            "description": (
                (
                    "Danmark har gennem flere årtier opbygget erfaring med at støtte veteraner og "
                    "deres familier – med netværk af ligestillede, rehabilitering og hjælp til at "
                    "vende tilbage til job og uddannelse. Ukraine opbygger den samme støtte i et "
                    "omfang, ingen havde planlagt, mens krigen stadig foregår. Aftenen samler de "
                    "to på lige fod."
                ),
                (
                    "Danske veteraner og medarbejdere fra veteranindsatsen møder ukrainske "
                    "veteraner, der bor i København, og deres partnere og forældre. I korte oplæg "
                    "og samtaler ved runde borde deler de, hvad der har hjulpet: idræt og natur, "
                    "støtte fra andre veteraner, praktisk hjælp i mødet med myndighederne og "
                    "støtte til børnene i veteranfamilier."
                ),
                (
                    "Du bestemmer selv, hvor meget du vil sige – det er lige så velkomment bare at "
                    "lytte. En ukrainsktalende psykolog er til stede hele aftenen, og der er et "
                    "stille rum ved siden af salen. Aftenen er for veteraner, deres familier og "
                    "fagfolk; tilmeld dig, så vi kan planlægge tolkningen."
                ),
            ),
            "poster_alt": (
                "Plakat: en åben hoveddør, hvor varmt lys strømmer ud på en sti, under en "
                "aftenhimmel."
            ),
        },
        "en": {
            "title": "Coming Home: Veterans and Their Families in Conversation",
            "summary": (
                "An evening of exchange between Ukrainian and Danish veterans, their families and "
                "the people who support them: peer support, rehabilitation and the way back to "
                "work. In Ukrainian and Danish with interpretation."
            ),
            "description": (
                (
                    "Over several decades Denmark has built up experience in supporting veterans "
                    "and their families, through peer groups, rehabilitation and help with "
                    "returning to work and study. Ukraine is building the same support on a scale "
                    "nobody planned for, while the war goes on. This evening brings the two "
                    "together as equals."
                ),
                (
                    "Danish veterans and staff from veterans' support services meet Ukrainian "
                    "veterans who live in Copenhagen, and their partners and parents. In short "
                    "talks and round-table conversations they share what has helped: sport and the "
                    "outdoors, support from fellow veterans, practical help in dealing with the "
                    "authorities, and support for the children in veterans' families."
                ),
                (
                    "You decide how much you want to say – simply listening is just as welcome. A "
                    "Ukrainian-speaking psychologist is there all evening, and there is a quiet "
                    "room next to the hall. The evening is for veterans, their families and "
                    "professionals; please register so that we can plan the interpretation."
                ),
            ),
            "poster_alt": (
                "Poster: an open front door with warm light spilling out onto a path, under an "
                "evening sky."
            ),
        },
    },
}

# ---------------------------------------------------------------- summer camp
# A day camp, one session (week) per age group: Monday 09:00 to Friday 16:00 in July.
# {year} and {opens} are filled in when the camp is placed in time.

CAMP: dict[str, Any] = {
    "slug": "summer-camp-{year}",
    "venue": "faelledpavillonen",
    "audience": "children",
    "spoken": "uk",
    "poster": "summer-camp.svg",
    "registration_opens": (3, 1, "10:00"),
    "registration_closes": (6, 1, "12:00"),
    "edits_close": (6, 20, "23:59"),  # families may change details until then
    "max_seats": 4,
    "sessions": [
        {"week": 0, "min_age": 7, "max_age": 10, "capacity": 40, "fee_ore": 0},
        {"week": 1, "min_age": 9, "max_age": 12, "capacity": 40, "fee_ore": 0},
        {"week": 2, "min_age": 11, "max_age": 14, "capacity": 40, "fee_ore": 0},
        {"week": 3, "min_age": 7, "max_age": 14, "capacity": 30, "fee_ore": 15000},
    ],
    "texts": {
        "uk": {
            "title": "Літній табір у Копенгагені {year}",
            "summary": (
                "Табірні зміни з іграми, плаванням, екскурсіями та новими друзями у Fælledparken "
                "для українських дітей 7–14 років, які живуть у Копенгагені. Вожаті говорять "
                "українською та данською, обід включено."
            ),
            "description": (
                (
                    "Літній табір — одна з обіцянок угоди про побратимство між Копенгагеном і "
                    "Києвом: тиждень справжнього літа для українських дітей, які тепер живуть у "
                    "Копенгагені. Це денний табір у павільйоні в парку Fælledparken і навколо "
                    "нього. Діти приходять о 9:00, а забирати їх треба о 16:00, з понеділка по "
                    "п'ятницю; щодня — обід і фрукти."
                ),
                (
                    "Кожна табірна зміна розрахована на свою вікову групу: до якої зміни може "
                    "приєднатися ваша дитина, визначає її вік у перший день зміни. Дні наповнені "
                    "іграми, спортом, творчістю та екскурсіями — до купальні в гавані (з "
                    "рятувальниками), зоопарку та шкільного городу — разом із вожатими, які "
                    "говорять українською та данською. Для тих, кому треба перепочити, завжди є "
                    "тихий куточок."
                ),
                (
                    "Реєстрація відкривається {opens} о 10:00. Ви реєструєте всіх своїх дітей "
                    "однією заявкою і можете попросити, щоб брати й сестри були в одній зміні. Про "
                    "алергії, здоров'я та контакт для екстрених випадків ми питаємо лише для того, "
                    "щоб безпечно доглядати за вашою дитиною; ці дані бачать тільки працівники "
                    "табору. Четверта зміна з поїздками на пляж Amager Strand коштує 150 крон за "
                    "дитину; якщо внесок для вас завеликий, напишіть нам — можна отримати "
                    "звільнення від оплати."
                ),
            ),
            "poster_alt": (
                "Постер: зелений намет під великим жовтим сонцем біля розлогого дерева, у "
                "блакитному небі летить повітряний змій."
            ),
        },
        "da": {
            "title": "Sommerlejr i København {year}",
            "summary": (
                "Lejruger med leg, svømning, udflugter og nye venner i Fælledparken for ukrainske "
                "børn på 7–14 år, der bor i København. Ukrainsk- og dansktalende lejrledere, "
                "frokost er inkluderet."
            ),
            "description": (
                (
                    "Sommerlejren er et af løfterne i venskabsbyaftalen mellem København og Kyiv: "
                    "en uges rigtig sommer for ukrainske børn, der nu bor i København. Det er en "
                    "daglejr i og omkring pavillonen i Fælledparken. Børnene møder kl. 9 og hentes "
                    "kl. 16, mandag til fredag, og der er frokost og frugt hver dag."
                ),
                (
                    "Hver lejruge har sin egen aldersgruppe, og barnets alder på ugens første dag "
                    "afgør, hvilken uge det kan komme med på. Dagene er fulde af leg, sport, "
                    "kreative værksteder og udflugter – til havnebadet (med livreddere), Zoologisk "
                    "Have og en skolehave – sammen med lejrledere, der taler ukrainsk og dansk. "
                    "Der er altid et stille hjørne til den, der har brug for en pause."
                ),
                (
                    "Tilmeldingen åbner {opens} kl. 10. Du tilmelder alle dine børn i én ansøgning "
                    "og kan bede om, at søskende kommer på samme uge. Vi spørger kun til "
                    "allergier, helbred og nødkontakt for at kunne passe godt på dit barn; kun "
                    "lejrens personale kan se oplysningerne. Fjerde uge med udflugter til Amager "
                    "Strand koster 150 kr. pr. barn – skriv til os, hvis prisen er et problem, så "
                    "kan du blive fritaget for betalingen."
                ),
            ),
            "poster_alt": (
                "Plakat: et grønt telt under en stor gul sol ved siden af et løvtræ, og en drage, "
                "der flyver på den blå himmel."
            ),
        },
        "en": {
            "title": "Summer Camp in Copenhagen {year}",
            "summary": (
                "Camp weeks of play, swimming, trips and new friends in Fælledparken for Ukrainian "
                "children aged 7–14 who live in Copenhagen. Ukrainian- and Danish-speaking "
                "counsellors, lunch included."
            ),
            "description": (
                (
                    "The summer camp is one of the promises of the friendship-city agreement "
                    "between Copenhagen and Kyiv: a week of real summer for Ukrainian children who "
                    "now live in Copenhagen. It is a day camp in and around the pavilion in "
                    "Fælledparken. Children arrive at 9:00 and are collected at 16:00, Monday to "
                    "Friday, and there is lunch and fruit every day."
                ),
                (
                    "Each camp week has its own age group, and your child's age on the first day "
                    "of the week decides which one they can join. The days are full of games, "
                    "sport, crafts and trips – to the harbour bath (with lifeguards), the zoo and "
                    "a school garden – with counsellors who speak Ukrainian and Danish. There is "
                    "always a quiet corner for anyone who needs a break."
                ),
                (
                    "Registration opens on {opens} at 10:00. You register all your children in one "
                    "application, and you can ask for siblings to be kept in the same week. We ask "
                    "about allergies, health and an emergency contact only so that we can look "
                    "after your child safely; only the camp staff can see these details. The "
                    "fourth week, with trips to Amager Strand, costs 150 kr per child – if the fee "
                    "is a problem, write to us and we can waive it."
                ),
            ),
            "poster_alt": (
                "Poster: a green tent under a big yellow sun beside a leafy tree, with a kite "
                "flying in the blue sky."
            ),
        },
    },
}

# Families who applied on the opening morning, so the organisers' pages show something: sent
# through the camp's own rules (booking/camp.py), minutes after applications opened. "weeks"
# are each child's wished weeks (indexes into CAMP["sessions"]); ages are on the first day.
CAMP_FAMILIES: list[dict[str, Any]] = [
    {
        "guardian": ("Оксана Шевченко", "oksana.shevchenko@example.org", "+45 22 31 40 17"),
        "address": "Amagerbrogade 112, 2300 København S",
        "emergency": ("Ірина Бондар", "+45 28 64 19 03", "тітка"),
        "language": "uk",
        "photos": True,
        "together": True,
        "children": [
            {
                "name": "Марія Шевченко",
                "age": 8,
                "weeks": (3, 0),
                "swimming": "beginner",
                "allergies": "Горіхи (анафілаксія): EpiPen у рюкзаку",
                "medication": "EpiPen",
            },
            {"name": "Богдан Шевченко", "age": 10, "weeks": (3, 1), "swimming": "confident"},
        ],
    },
    {
        "guardian": ("Andrii Melnyk", "andrii.melnyk@example.org", "+45 31 77 02 58"),
        "address": "Nørrebrogade 45, 2200 København N",
        "emergency": ("Mette Jensen", "+45 40 12 88 21", "neighbour"),
        "language": "en",
        "photos": False,
        "together": True,
        "children": [
            {
                "name": "Sofiia Melnyk",
                "age": 12,
                "weeks": (1, 2),
                "swimming": "with-aid",
                "medical": "Asthma: inhaler before sport",
            },
        ],
    },
    {
        "guardian": ("Natalia Kovalenko", "natalia.kovalenko@example.org", "+45 51 90 33 64"),
        "address": "Valby Langgade 20, 2500 Valby",
        "emergency": ("Lars Holm", "+45 60 45 71 12", "nabo"),
        "language": "da",
        "photos": True,
        "together": False,
        "children": [
            {"name": "Taras Kovalenko", "age": 7, "weeks": (0,), "swimming": "cannot"},
            {
                "name": "Olena Kovalenko",
                "age": 13,
                "weeks": (2, 3),
                "swimming": "beginner",
                "allergies": "Laktosefri kost",
            },
        ],
    },
]

# ---------------------------------------------------------------- placing it in time


def _at(day: date, clock: str) -> datetime:
    """A Copenhagen wall-clock time on `day`, as the UTC instant that is stored."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL).astimezone(UTC)


def _coming(today: date, weekday: str, weeks_later: int = 0) -> date:
    """The first `weekday` after today, then `weeks_later` weeks on."""
    days_ahead = (WEEKDAYS.index(weekday) - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=days_ahead + 7 * weeks_later)


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    golden, (century, rest) = year % 19, divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - correction + 15) % 30
    leap_years, year_rest = divmod(rest, 4)
    weekday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def is_holiday(day: date) -> bool:
    """Danish public holidays, Christmas Eve and New Year's Eve: the venues are closed."""
    if (day.month, day.day) in {(1, 1), (6, 5), (12, 24), (12, 25), (12, 26), (12, 31)}:
        return True
    return (day - _easter(day.year)).days in {-3, -2, 0, 1, 39, 49, 50}


def _avoiding_holidays(days: list[date]) -> list[date]:
    """Move each date of a series on by whole weeks while it falls on a holiday, keeping
    the series in order."""
    moved: list[date] = []
    for day in days:
        while is_holiday(day) or (moved and day <= moved[-1]):
            day += timedelta(weeks=1)
        moved.append(day)
    return moved


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def next_clock_change(today: date) -> date:
    """The next day Copenhagen changes its clocks (last Sunday of March or October)."""
    changes = [
        _last_sunday(year, month) for year in (today.year, today.year + 1) for month in (3, 10)
    ]
    return min(day for day in changes if day > today)


def exhibition_days(run: tuple[int, int] | str, today: date) -> tuple[date, date]:
    """First and last day of an exhibition run. "across-clock-change" runs a few weeks on
    both sides of the next clock change, so its stored span has two UTC offsets."""
    if isinstance(run, tuple):
        return today + timedelta(days=run[0]), today + timedelta(days=run[1])
    change = next_clock_change(today)
    first = max(today - timedelta(days=14), change - timedelta(days=17))
    return first, change + timedelta(days=24)


def camp_year(today: date) -> int:
    """The summer the camp is for: this one until June, then next year's."""
    return today.year if today < date(today.year, 6, 1) else today.year + 1


def _first_monday_of_july(year: int) -> date:
    first = date(year, 7, 1)
    return first + timedelta(days=-first.weekday() % 7)


# ---------------------------------------------------------------- saving


def _event_input(
    spec: dict[str, Any], category: Category, fill: dict[str, dict[str, str]] | None = None
) -> EventInput:
    """The organiser's form for a spec; `fill` gives each language's {placeholders}."""
    texts = {}
    for language, text in spec["texts"].items():
        joined = {k: "\n\n".join(v) if isinstance(v, tuple) else v for k, v in text.items()}
        if fill:
            joined = {k: v.format(**fill[language]) for k, v in joined.items()}
        texts[language] = joined
    return EventInput(
        slug=spec["slug"],
        category=category.value,
        audience=spec.get("audience", "everyone"),
        spoken_language=spec.get("spoken", ""),
        subtitles_language=spec.get("subtitles", ""),
        poster_url=POSTERS + spec["poster"] if "poster" in spec else "",
        price_ore=spec.get("price_ore", 0),
        texts=texts,
    )


async def _publish(data: EventInput, *, publish: bool = True) -> Event:
    event = await save_event(data, owner_id=None)
    if publish:
        await set_event_status(event, EventStatus.PUBLISHED)
    return event


async def _exhibitions(venues: dict[str, Venue], today: date) -> list[Occurrence]:
    occurrences = []
    for spec in EXHIBITIONS:
        event = await _publish(_event_input(spec, Category.EXHIBITION))
        first, last = exhibition_days(spec["run"], today)
        data = OccurrenceInput(
            venue_id=venues[spec["venue"]].id,
            starts_at=local_day_start(first),
            ends_at=local_day_start(last),
            all_day=True,
        )
        occurrences.append(await save_occurrence(event, data))
    return occurrences


async def _films(venues: dict[str, Venue], today: date, now: datetime) -> list[Occurrence]:
    occurrences = []
    for spec in FILMS:
        event = await _publish(_event_input(spec, Category.FILM))
        days = _avoiding_holidays([_coming(today, w, n) for w, n, _ in spec["showings"]])
        showings = []
        for day, (_, _, clock) in zip(days, spec["showings"], strict=True):
            starts_at = _at(day, clock)
            data = OccurrenceInput(
                venue_id=venues[spec["venue"]].id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=spec["minutes"]),
                capacity=spec["capacity"],
                registration_opens_at=_at(day - timedelta(days=28), "10:00"),
                registration_closes_at=starts_at,
                max_seats_per_registration=spec["max_seats"],
            )
            showings.append(await save_occurrence(event, data))
        if "cancel" in spec:
            await cancel_occurrence(showings[spec["cancel"]], now)
        occurrences += showings
    return occurrences


async def _meeting(
    spec: dict[str, Any], category: Category, venues: dict[str, Venue], today: date
) -> Occurrence:
    """A one-off workshop or evening: registration open from a week ago until two days before."""
    event = await _publish(_event_input(spec, category), publish=not spec.get("draft", False))
    [day] = _avoiding_holidays([_coming(today, *spec["day"])])
    data = OccurrenceInput(
        venue_id=venues[spec["venue"]].id,
        starts_at=_at(day, spec["hours"][0]),
        ends_at=_at(day, spec["hours"][1]),
        capacity=spec["capacity"],
        registration_opens_at=_at(today - timedelta(days=7), "10:00"),
        registration_closes_at=_at(day - timedelta(days=2), "12:00"),
        max_seats_per_registration=spec.get("max_seats", 2),
    )
    return await save_occurrence(event, data)


async def _camp(venues: dict[str, Venue], today: date) -> list[Occurrence]:
    year = camp_year(today)
    opens_month, opens_day, opens_clock = CAMP["registration_opens"]
    closes_month, closes_day, closes_clock = CAMP["registration_closes"]
    opens_on = date(year, opens_month, opens_day)
    # The opening day is written in each language's own date format.
    fill = {
        language: {
            "year": str(year),
            "opens": format_date(opens_on, "long", locale=BABEL_LOCALES[language]),
        }
        for language in CAMP["texts"]
    }
    data = _event_input(CAMP, Category.CAMP, fill)
    event = await _publish(replace(data, slug=CAMP["slug"].format(year=year)))
    monday = _first_monday_of_july(year)
    occurrences = []
    for session in CAMP["sessions"]:
        first_day = monday + timedelta(weeks=session["week"])
        session_data = OccurrenceInput(
            venue_id=venues[CAMP["venue"]].id,
            starts_at=_at(first_day, "09:00"),
            ends_at=_at(first_day + timedelta(days=4), "16:00"),
            capacity=session["capacity"],
            registration_opens_at=_at(opens_on, opens_clock),
            registration_closes_at=_at(date(year, closes_month, closes_day), closes_clock),
            max_seats_per_registration=CAMP["max_seats"],
            min_age=session["min_age"],
            max_age=session["max_age"],
            fee_ore=session["fee_ore"],
        )
        occurrences.append(await save_occurrence(event, session_data))
    edits_month, edits_day, edits_clock = CAMP["edits_close"]
    camp_row = await Camp.create(
        event=event,
        allocation=AllocationRule.FIRST_COME,
        applications_open_at=_at(opens_on, opens_clock),
        applications_close_at=_at(date(year, closes_month, closes_day), closes_clock),
        edits_close_at=_at(date(year, edits_month, edits_day), edits_clock),
    )
    await _camp_families(camp_row, occurrences)
    return occurrences


async def _camp_families(camp_row: Camp, sessions: list[Occurrence]) -> None:
    """The demo families apply minutes after the opening; demo addresses get no mail."""
    assert camp_row.applications_open_at is not None
    for n, family in enumerate(CAMP_FAMILIES, start=1):
        children = []
        for child in family["children"]:
            wanted = [sessions[week] for week in child["weeks"]]
            first_day = camp.first_day(wanted[0])
            children.append(
                camp.ChildInput(
                    name=child["name"],
                    date_of_birth=date(first_day.year - child["age"], 3, 14),
                    preferences=tuple(session.id for session in wanted),
                    allergies_diet=child.get("allergies", ""),
                    medical_notes=child.get("medical", ""),
                    medication=child.get("medication", ""),
                    swimming=Swimming(child["swimming"]),
                    danish_level=LanguageLevel.SOME,
                    english_level=LanguageLevel.SOME,
                )
            )
        name, email, phone = family["guardian"]
        emergency_name, emergency_phone, relation = family["emergency"]
        form = camp.ApplicationInput(
            contact=camp.ContactInput(
                guardian_name=name,
                guardian_email=email,
                guardian_phone=phone,
                guardian_address=family["address"],
                emergency_name=emergency_name,
                emergency_phone=emergency_phone,
                emergency_relation=relation,
            ),
            children=tuple(children),
            language=family["language"],
            idempotency_key=f"demo-camp-family-{n:02d}-{camp_row.id:06d}",
            consent_data=True,
            consent_photos=family["photos"],
            consent_emergency_treatment=True,
            keep_siblings_together=family["together"],
        )
        submitted = camp_row.applications_open_at + timedelta(minutes=3 * n)
        await camp.apply(camp_row, form, submitted)
    await OutboxMessage.filter(
        to_address__in=[family["guardian"][1] for family in CAMP_FAMILIES]
    ).delete()


async def _venues() -> dict[str, Venue]:
    return {spec["slug"]: await save_venue(VenueInput(**spec)) for spec in VENUES}


async def _summary(venues: int, occurrences: list[Occurrence]) -> str:
    events = await Event.all()
    published = Counter(e.category for e in events if e.status == EventStatus.PUBLISHED)
    drafts = sum(1 for e in events if e.status == EventStatus.DRAFT)
    cancelled = sum(1 for o in occurrences if o.status == OccurrenceStatus.CANCELLED)
    by_category = ", ".join(f"{published[c]} {name}" for c, name in CATEGORY_NAMES.items())
    return (
        f"Demo programme loaded: {venues} venues, {len(events)} events "
        f"({sum(published.values())} published: {by_category}; {drafts} draft), "
        f"{len(occurrences)} dates ({cancelled} cancelled)."
    )


async def seed(now: datetime) -> str:
    """Load the demo programme into an empty database and say what was made.

    Runs only when there are no events and none of the demo venues: a second run, or a run
    against a real programme, changes nothing.
    """
    demo_venues = [spec["slug"] for spec in VENUES]
    if await Event.exists() or await Venue.filter(slug__in=demo_venues).exists():
        return "The programme already has events or demo venues: nothing was changed."
    today = now.astimezone(LOCAL).date()
    async with in_transaction():
        venues = await _venues()
        occurrences = [
            *await _exhibitions(venues, today),
            *await _films(venues, today, now),
            *[await _meeting(spec, Category.WORKSHOP, venues, today) for spec in WORKSHOPS],
            await _meeting(VETERANS, Category.VETERANS, venues, today),
            await _meeting(DRAFT_WORKSHOP, Category.WORKSHOP, venues, today),
            *await _camp(venues, today),
        ]
    return await _summary(len(venues), occurrences)
