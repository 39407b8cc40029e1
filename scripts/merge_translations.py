"""Merge the Chinese translations in locale/pending/*.json into locale/zh_Hans's django.po.

Run after `manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=artifacts`.
Each area keeps its translations in its own JSON file ({"English msgid": "中文"}), so people
working on different areas never edit the .po at the same time. Writes the msgids still
untranslated to /tmp/missing.json and exits 1 if there are any.
"""

import glob
import json
import sys

import polib

po = polib.pofile("locale/zh_Hans/LC_MESSAGES/django.po")
pending = {}
for f in sorted(glob.glob("locale/pending/*.json")):
    pending.update(json.load(open(f)))
extra = {}
if len(sys.argv) > 1:
    extra = json.load(open(sys.argv[1]))
pending.update(extra)
missing = []
for e in po:
    if e.msgid in pending:
        val = pending[e.msgid]
        if e.msgid_plural:
            if isinstance(val, list):
                for i, v in enumerate(val):
                    e.msgstr_plural[i] = v
            else:
                e.msgstr_plural[0] = val
        else:
            e.msgstr = val
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
    elif not e.translated():
        missing.append(e.msgid)
po.save()
json.dump(missing, open("/tmp/missing.json", "w"), ensure_ascii=False, indent=1)
print(len(po), "entries;", len(missing), "missing ->/tmp/missing.json")
sys.exit(1 if missing else 0)
