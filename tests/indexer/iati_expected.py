#!/usr/bin/env python3
"""How many documents each IATI activity file should give, computed independently of the
importer: one per activity and language of its title and descriptions (narratives in 2.0x,
the elements' own text in 1.0x), a narrative without xml:lang being in the activity's
language (else the file's, else English). Prints "<file>\t<activities>\t<documents>"."""
import sys
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def primary(tag):
    return tag.split('-')[0].split('_')[0].lower() if tag else ''


def langs_of(element, default):
    out = []
    narratives = element.findall('narrative')
    own = primary(element.get(XML_LANG))
    if narratives:
        for n in narratives:
            if (n.text or '').strip():
                out.append(primary(n.get(XML_LANG)) or own or default)
    elif (element.text or '').strip():
        out.append(own or default)
    return out


for path in sys.argv[1:]:
    activities = documents = 0
    file_lang = ''
    for event, element in ET.iterparse(path, events=('start', 'end')):
        if event == 'start' and element.tag == 'iati-activities':
            file_lang = primary(element.get(XML_LANG))
        if event != 'end' or element.tag != 'iati-activity':
            continue
        activities += 1
        default = primary(element.get(XML_LANG)) or file_lang or 'en'
        langs = []
        for part in element.findall('title') + element.findall('description'):
            for lang in langs_of(part, default):
                if lang not in langs:
                    langs.append(lang)
        has_title = any(langs_of(t, default) for t in element.findall('title'))
        if (element.findtext('iati-identifier') or '').strip() and has_title:
            documents += len(langs)
        element.clear()
    print(f'{path}\t{activities}\t{documents}')
