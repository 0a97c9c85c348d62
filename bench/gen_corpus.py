#!/usr/bin/env python3
"""Generates a synthetic archive of evaluation reports as text files for the
server benchmark: varied vocabulary (the sample reports' words plus a long
tail of generated words, Zipf-distributed), English, Spanish and French
documents, 1-4 pages (form feeds), organisations with acronyms, years,
numbered recommendations with responsible bodies and due dates.
Also writes realistic search queries (one query string per line).

Usage: gen_corpus.py OUT_DIR COUNT QUERIES_FILE [--seed N]
"""
import argparse
import glob
import os
import random
import re

ORGS = [
    ("International Organization for Migration", "IOM"),
    ("United Nations Children's Fund", "UNICEF"),
    ("World Food Programme", "WFP"),
    ("United Nations Development Programme", "UNDP"),
    ("Food and Agriculture Organization", "FAO"),
    ("World Health Organization", "WHO"),
    ("United Nations High Commissioner for Refugees", "UNHCR"),
    ("Agency for Rural Development", "ARD"),
    ("Ministry of Education", None),
    ("Ministry of Water and Sanitation", None),
    ("National Statistics Office", "NSO"),
    ("Independent Evaluation Office", "IEO"),
    ("District Health Authority", "DHA"),
    ("Association of District Councils", "ADC"),
]
PROGRAMMES = ["Rural Water Access Programme", "School Feeding Programme", "Local Social Services Programme",
              "Maternal Health Initiative", "Climate Resilience Programme", "Youth Employment Programme",
              "Urban Sanitation Project", "Refugee Livelihoods Programme", "Nutrition Support Programme",
              "Digital Registration Project"]
COUNTRIES = ["Malvera", "Northland", "Costa Verde", "Ardania", "Lusitra", "Kembara", "Solvania", "Tamaris"]
VERBS = ["strengthen", "expand", "review", "publish", "simplify", "decentralise", "monitor", "fund", "evaluate",
         "integrate", "document", "train", "coordinate", "prioritise", "update"]
OBJECTS = ["the monitoring framework", "district planning", "the targeting criteria", "staff training",
           "the procurement process", "data collection", "community feedback mechanisms", "the exit strategy",
           "budget transparency", "gender analysis", "the results framework", "the well inventory"]
ES = ("el la de que en los las del programa evaluación recomendación ministerio escuelas alimentación hogares "
      "comunidad gestión presupuesto resultados seguimiento descentralización calidad acceso agua salud").split()
FR = ("le la les de des du programme évaluation recommandation ministère écoles santé eau gestion budget "
      "résultats suivi décentralisation qualité accès communauté ménages").split()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def vocabulary(root, rng):
    words = set()
    for path in glob.glob(os.path.join(root, "samples", "src", "*.txt")):
        with open(path, encoding="utf-8") as f:
            words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", f.read()))
    base = sorted(words) or ["water", "programme", "evaluation"]
    rng.shuffle(base)  # frequency rank independent of the alphabet
    syllables = ["ka", "ri", "mo", "ten", "sul", "va", "dor", "pe", "lin", "tra", "ne", "sa", "bro", "qui", "mel"]
    tail = set()
    while len(tail) < 6000:
        tail.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return base + sorted(tail)


def zipf_choice(rng, words):
    # Rank-frequency close to Zipf: index ~ exp(uniform) over the list.
    i = int(len(words) ** rng.random()) - 1
    return words[max(0, min(i, len(words) - 1))]


def sentence(rng, words, lang):
    if lang == "es":
        pool = ES
    elif lang == "fr":
        pool = FR
    else:
        pool = None
    n = rng.randint(8, 22)
    out = [(rng.choice(pool) if pool and rng.random() < 0.7 else zipf_choice(rng, words)) for _ in range(n)]
    out[0] = out[0].capitalize()
    return " ".join(out) + "."


def document(i, rng, words):
    lang = "en" if i % 10 < 8 else ("es" if i % 10 == 8 else "fr")
    year = rng.randint(2005, 2024)
    programme = rng.choice(PROGRAMMES)
    country = rng.choice(COUNTRIES)
    orgs = rng.sample(ORGS, rng.randint(1, 3))
    title = f"Evaluation of the {programme} in {country} ({year}) no. {i}"
    pages = []
    for p in range(rng.randint(1, 4)):
        lines = []
        if p == 0:
            lines.append(title)
            for name, acronym in orgs:
                lines.append(f"This report was prepared for the {name}" + (f" ({acronym})." if acronym else "."))
        for _ in range(rng.randint(6, 14)):
            lines.append(sentence(rng, words, lang))
        if p == 0 or rng.random() < 0.3:
            lines.append("Recommendations")
            for r in range(1, rng.randint(2, 4)):
                name, acronym = rng.choice(orgs)
                who = acronym or f"The {name}"
                due = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year + rng.randint(1, 3)}"
                lines.append(f"Recommendation {r}: {who} should {rng.choice(VERBS)} {rng.choice(OBJECTS)} by {due}.")
        pages.append("\n".join(lines))
    return lang, "\f".join(pages) + "\n"


def queries(rng, words, count=400):
    common = words[:300]
    out = []
    for _ in range(count):
        kind = rng.random()
        a, b = zipf_choice(rng, common), zipf_choice(rng, words)
        if kind < 0.35:
            out.append(f"q={a}")
        elif kind < 0.55:
            out.append(f"q={a}%20{b}")
        elif kind < 0.65:
            out.append(f"q={a}%20OR%20{b}")
        elif kind < 0.72:
            out.append(f"q=%22{rng.choice(OBJECTS).replace(' ', '%20')}%22")
        elif kind < 0.80:
            out.append(f"q={a}&year_from={rng.randint(2005, 2015)}&year_to={rng.randint(2016, 2024)}")
        elif kind < 0.86:
            out.append(f"q={rng.choice(VERBS)}&org={rng.choice([o[1] for o in ORGS if o[1]])}")
        elif kind < 0.90:
            out.append(f"q={rng.choice(ES)}&lang=es")
        elif kind < 0.95:
            out.append(f"q={rng.choice(PROGRAMMES).split()[0].lower()}%20{rng.choice(COUNTRIES).split()[0].lower()}&limit=20")
        else:
            out.append(f"q={a[:3]}*")
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("count", type=int)
    parser.add_argument("queries_file")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    words = vocabulary(root, rng)
    for i in range(args.count):
        sub = os.path.join(args.out_dir, f"{i // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        lang, text = document(i, rng, words)
        with open(os.path.join(sub, f"report_{i:05d}_{lang}.txt"), "w", encoding="utf-8") as f:
            f.write(text)
    with open(args.queries_file, "w", encoding="utf-8") as f:
        for q in queries(rng, words):
            f.write("/v1/search?" + q + "\n")


if __name__ == "__main__":
    main()
