#!/usr/bin/env python3
"""Writes a scale corpus of N documents in the JSON Lines import format, recombined from the
real documents of shared/corpus/real-20k.jsonl. Deterministic: the same N gives the same bytes.

Recipe, for document n (0 <= n < N):
- its template is real document n mod 20483 (in file order): language, kind, title, countries,
  sectors, year, visibility and publisher are the template's, so the corpus keeps the real mix;
- its id is the template's id, with "~k" added for the k-th reuse of the template (k >= 1);
- its body starts with the template's first sentence, followed by sentences drawn from all real
  bodies in the same language (Python's random.Random(20483), drawn in order of n) until it is
  as long as the template's body; paragraphs of three sentences.
Sentences are split at ". ", "! " and "? ". No word is invented: every sentence is real text.

Usage: make-scale-corpus.py N OUT.jsonl [SOURCE.jsonl]
"""
import json
import random
import re
import sys

n_docs = int(sys.argv[1])
out_path = sys.argv[2]
source = sys.argv[3] if len(sys.argv) > 3 else None
if source is None:
    import os
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'corpus', 'real-20k.jsonl')

SPLIT = re.compile(r'(?<=[.!?])\s+')
templates = []
pools = {}
with open(source, encoding='utf-8') as f:
    for line in f:
        d = json.loads(line)
        sentences = [s.strip() for s in SPLIT.split(d.get('body', '')) if len(s.strip()) > 20]
        d['_sentences'] = sentences
        templates.append(d)
        pools.setdefault(d['lang'], []).extend(sentences)

rng = random.Random(20483)
with open(out_path, 'w', encoding='utf-8') as out:
    for n in range(n_docs):
        t = templates[n % len(templates)]
        copy = n // len(templates)
        target = max(len(t.get('body', '')), 80)
        pool = pools.get(t['lang']) or t['_sentences'] or [t['title']]
        sentences = t['_sentences'][:1] if t['_sentences'] else []
        length = sum(len(s) + 1 for s in sentences)
        while length < target:
            s = pool[rng.randrange(len(pool))]
            sentences.append(s)
            length += len(s) + 1
        paragraphs = [' '.join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        doc = {k: v for k, v in t.items() if not k.startswith('_')}
        if copy:
            doc['id'] = f"{t['id']}~{copy}"
        doc['body'] = '\n\n'.join(paragraphs)
        out.write(json.dumps(doc, ensure_ascii=False) + '\n')
