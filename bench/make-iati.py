#!/usr/bin/env python3
"""Writes an IATI activity file of about SIZE megabytes for bench/run-iati: the activities of
the real files in shared/corpus/iati, repeated with new identifiers (copy N of activity X is
X-cN), so that every activity is a new document."""
import re
import sys

size_mb, out_path, *inputs = sys.argv[1:]
target = int(float(size_mb) * 1024 * 1024)
activities = []
for path in inputs:
    text = open(path, encoding='utf-8').read()
    activities += re.findall(r'<iati-activity[ >].*?</iati-activity>', text, re.S)
with open(out_path, 'w', encoding='utf-8') as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" xmlns:usg="https://explorer.usaid.gov">\n')
    written, copy = 0, 0
    while written < target:
        copy += 1
        for a in activities:
            a = re.sub(r'<iati-identifier>([^<]*)</iati-identifier>',
                       lambda m: f'<iati-identifier>{m.group(1)}-c{copy}</iati-identifier>', a, count=1)
            out.write(a + '\n')
            written += len(a.encode('utf-8')) + 1
            if written >= target:
                break
    out.write('</iati-activities>\n')
