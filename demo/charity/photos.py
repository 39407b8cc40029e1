"""Drawn photos of the projects and of the 2017 event."""

import io
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

from charity.models import Photo, Project

from .tables import CAMPAIGN_2017

PHOTOS = [
    (Project.Kind.ROAD, "道路整修完工", (88, 96, 104), "road"),
    (Project.Kind.RIVER, "河道整治后的河岸", (52, 120, 170), "river"),
    (Project.Kind.FACILITIES, "新装的公共设施", (110, 150, 90), "facilities"),
    (None, "“缘聚徐练 商续慈善”活动现场", (166, 29, 23), "event"),
]


def _photos(seed, campaigns, villages):
    """A few drawn photos (a project of each kind, and the 2017 event), stored under fixed
    names so that a second run writes nothing."""
    pairings = [pairing.pk for pairing in villages.values()]
    for kind, caption, colour, motif in PHOTOS:
        if kind is None:
            campaign = campaigns[CAMPAIGN_2017]
            owner, taken_on = {"campaign": campaign}, campaign.starts_on
        else:
            project = (
                Project.objects.filter(pairing__in=pairings, kind=kind, status=Project.Status.DONE)
                .order_by("pairing__beneficiary__name", "pk")
                .first()
            )
            if project is None:
                continue
            owner, taken_on = {"project": project}, project.completed_on
        name = f"charity/demo/{motif}.jpg"
        path = Path(settings.MEDIA_ROOT) / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_drawing(colour, motif))
        seed.upsert(Photo, {**owner, "caption": caption}, {"image": name, "taken_on": taken_on})


def _drawing(colour, motif) -> bytes:
    """A simple picture: sky, fields and the motif, as a JPEG."""
    width, height = 800, 600
    image = Image.new("RGB", (width, height), (205, 225, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 330, width, height], fill=(150, 185, 110))
    for x in range(0, width, 90):
        draw.ellipse([x - 30, 280, x + 70, 350], fill=(95, 140, 80))
    if motif == "road":
        draw.polygon([(330, 330), (470, 330), (760, height), (40, height)], fill=colour)
        for y in range(350, height, 50):
            draw.rectangle([395, y, 405, y + 24], fill=(240, 240, 240))
    elif motif == "river":
        for offset in range(0, 160, 20):
            draw.arc([-100, 380 + offset, 900, 520 + offset], 190, 350, fill=colour, width=16)
    elif motif == "facilities":
        for x in (200, 400, 600):
            draw.rectangle([x - 6, 250, x + 6, 430], fill=(80, 80, 80))
            draw.ellipse([x - 40, 220, x + 40, 270], fill=colour)
    else:
        draw.rectangle([120, 140, 680, 330], fill=colour)
        draw.rectangle([160, 180, 640, 290], outline=(243, 217, 160), width=6)
        for x in range(140, 700, 60):
            draw.ellipse([x, 420, x + 40, 460], fill=(60, 60, 70))
            draw.rectangle([x + 5, 460, x + 35, 560], fill=(60, 60, 70))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()
