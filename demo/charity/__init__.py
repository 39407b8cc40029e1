"""Demo charity, drawn from the seed article's 回报社会 section.

- The 2017 event “缘聚徐练 商续慈善” raised exactly 4,250,000.00 元, which paired member
  companies with the 25 economically weak villages of 练塘镇, one company to a village
  (一企一村) or several (多企一村), for road repair, river works and public facilities.
- Student aid pairings with invented, clearly fictional students (李同学, 王同学 …: no real
  person), each with a consent record given by a parent for those under 14; a school, the
  youth workstation and 阳光之家 (disabled people) helped with books and micro-wishes.
- Yunnan poverty alleviation (2018–2019), the 2020 COVID donations (over 2,000,000 元), the
  Xujing villages' greening, and every year's summer 送清凉 and 重阳节 visits, in kind.
- 2017–2019 donations add up to more than 10,000,000 元.

The village names are real-sounding; several are, to our knowledge, villages of 练塘镇 (东庄村,
徐练村, 芦潼村, 泾珠村, 长河村, 叶港村 …), but the list is not checked against an official
one: treat all of it as demo data. Every row is found by its natural key, so a second run
changes nothing.

``tables`` holds the villages, campaigns, students and groups; ``seed`` writes the campaigns
and calls ``pairings``, ``donations`` and ``photos`` for the rest.
"""

from .seed import seed_charity
from .tables import CAMPAIGN_2017, COVID, RENEWED_NOTICE, VILLAGES, YUNNAN

__all__ = ["CAMPAIGN_2017", "COVID", "RENEWED_NOTICE", "VILLAGES", "YUNNAN", "seed_charity"]
