#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (run from anywhere).

Word pages use the format of fuzz/word_input.h; the frame seeds follow
core/src/ingest/worker_protocol.h; the key and value seeds core/include/dossier/keys.h;
the other targets read text (see the comment at the top of each target)."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


class Page:
    """Words laid out like a PDF text layer: ~6 pt a character, 14.3 pt tall."""

    def __init__(self, flags=0, repeat=0, char=6.0, height=14.3, space=2.7):
        self.head = bytes([flags, repeat])
        self.words = []
        self.char, self.height, self.space = char, height, space

    def put(self, x, y, text, special=0):
        for w in text.split():
            width = self.char * len(w.encode())
            self.word(w, x, y, x + width, y + self.height, special)
            x += width + self.space
        return x

    def word(self, text, x0, y0, x1, y1, special=0, raw=None):
        t = text.encode()[:32]
        vals = raw or (round(x0 * 2), round(y0 * 2), round((x1 - x0) * 8), round((y1 - y0) * 8))
        vals = [max(-32768, min(32767, v)) for v in vals]
        self.words.append(bytes([special, len(t)]) + t + struct.pack(">4h", *vals))

    def bytes(self):
        return self.head + b"".join(self.words)


def pages():
    prose = ("The evaluation found that the programme met most of its objectives but that "
             "monitoring was weak and reporting late in three of the five countries visited").split()
    # Two columns of prose under a full-width title.
    p = Page()
    p.put(72, 60, "Annual evaluation report 2024: findings and recommendations")
    for col, x in ((0, 72), (1, 320)):
        for line in range(14):
            words = prose[(line * 5 + col * 3) % 20:][:6]
            p.put(x, 100 + line * 16, " ".join(words))
    two_columns = p.bytes()
    # A key-action table between paragraphs.
    t = Page()
    t.put(72, 60, "Management response to the recommendations of the evaluation")
    t.put(72, 100, "Key action")
    t.put(330, 100, "Time frame")
    t.put(430, 100, "Unit")
    t.put(500, 100, "Status")
    rows = [("1.1 Convene a working group", "Q1 2026", "SDD", "Completed"),
            ("1.2 Publish the first draft of the guidance", "Q3 2026", "EO", "Ongoing"),
            ("2.1 Train the country offices on the new", "2027", "HR", "Not started")]
    y = 130
    for key, when, unit, status in rows:
        t.put(72, y, key)
        t.put(330, y, when)
        t.put(430, y, unit)
        t.put(500, y, status)
        t.put(72, y + 12.7, "tools and report back.")
        y += 40
    t.put(72, y + 20, "Signed: the Director of the Evaluation Office.")
    table = t.bytes()
    # The table as OCR boxes at 300 dpi (pixels), with a speck inside a word.
    o = Page(flags=1, char=17, height=33, space=14)
    o.put(240, 100, "Key action")
    o.put(1560, 100, "Time frame")
    o.put(1830, 100, "Unit")
    o.put(2120, 100, "Status")
    y = 160
    for key, when, unit, status in rows:
        o.put(240, y, key)
        o.put(1560, y, when)
        o.put(1830, y, unit)
        o.put(2120, y, status)
        y += 110
    o.word(".", 250, 102, 254, 106)
    ocr = o.bytes()
    # Hostile boxes: NaN, infinite, huge, negative, inverted, empty text.
    h = Page()
    h.put(72, 60, "A line of ordinary words to start with")
    h.word("nan", 0, 0, 0, 0, special=0b0001, raw=(0, 100, 40, 100))       # x0 = NaN
    h.word("inf", 0, 0, 0, 0, special=0b0100, raw=(100, 200, 1, 100))      # x1 = +inf
    h.word("huge", 0, 0, 0, 0, special=0b1000, raw=(100, 300, 40, 3))      # y1 = DBL_MAX
    h.word("neg", -500, -300, -450, -286)
    h.word("inverted", 300, 300, 250, 280)
    h.word("", 100, 400, 140, 414)
    h.put(72, 420, "and a last line of ordinary words")
    hostile = h.bytes()
    # The table page, eight times over (a long page of thousands of words).
    many = bytes([0, 7]) + table[2:]
    return {"two_columns": two_columns, "table": table, "ocr_table": ocr, "hostile": hostile, "many": many}


ENTITY_PAGES = {
    "acronyms": "The Lakeside Water Board (LWB) met the KTF (Kelp Trade Federation) twice. Data came from the "
                "National Bureau of Tides (BT) and the Office of the Harbour Master’s (OHM) rules.",
    "acronym_list": "List of acronyms\nBTX\n\nBureau des Tarifs Xylographiques\n\nKTF\n\nKelp Trade Federation\n"
                    "MQS\tMarsh Quality Survey\nPRQ\tPlan for Reed Quays\n",
    "french": "Le Programme d’Appui à l’Irrigation Rurale (PAIR) a commencé. Le Ministère de l’Agriculture et "
              "l’Office National de l’Eau (ONE) en sont chargés.",
    "bodies": "Lakeside Evaluation Office\nREVIEW OF THE MARSH DRAINAGE PROGRAMME\n\nThe Kelp Programme, funded by the "
              "Harbour Fund, is implemented by the Ministry of Fisheries.\fThe Ministry of Fisheries (MoF) and "
              "UNICEF reported to the Programa Nacional de Agua (PNA).",
}

RESPONSE_PAGES = {
    "table": (0, "Recommendation 1: The Health Office should publish clinic waiting times every month.\n"
                 "Management response: Accepted.\n"
                 "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
                 "1.1 Build a waiting-time dashboard\tBy 30 June 2027\tData Unit; Health Office\tNot started\n"
                 "1.2 Train clinic clerks to record\tQ3 2027\tTraining Unit\tIn progress\n"
                 "arrival times\t\t\t\n"
                 "Recommendation 2: The Health Office should survey patients each year.\n"
                 "Management response: Not accepted. A survey exists.\n"),
    "spaces": (0, "RECOMMENDATIONS\n\n1. The Transport Board should renew its bus fleet.\n"
                  "Management response: Partially agreed.\n"
                  "Action                            Lead office          Completion date\n"
                  "Action to respond to (a):         Fleet Office         March 2027\n"
                  "The Board will tender for twenty\n"
                  "                                  Finance Office\n7\n\f"
                  "Action                            Lead office          Completion date\n"
                  "electric buses in two lots.\n"),
    "french": (1, "Recommandation 1 : Le Bureau devrait publier ses rapports.\n"
                  "Réponse de la direction : Acceptée.\n"
                  "Action clé\tCalendrier\tUnité responsable\tÉtat\n"
                  "1.1 Rédiger le guide\td’ici juillet 2025\tBureau de l’évaluation\tEn cours\n"),
    "spanish": (2, "Recomendación 2: La Oficina debería evaluar el programa cada año.\n"
                   "Respuesta de la administración: Aceptada parcialmente.\n"
                   "Acción clave\tPlazo\tUnidad responsable\tEstado\n"
                   "2.1 Contratar la evaluación\tprimer trimestre de 2026\tOficina de Evaluación\tIniciada\n"),
    "matrix": (0, "Recommendation\tManagement response\tKey actions\tResponsible\tDeadline\n"
                  "1. Strengthen monitoring\tAgreed\ta) Revise the framework\tM&E Unit\tDecember 2026\n"
                  "\t\tb) Hire two officers\tHR\t2027\n"
                  "2. Close the pilot\tRejected\tNone\t\t\n"),
}


def store_seeds():
    doc = bytes(range(1, 9))
    node = b"O" + bytes(range(10, 18))
    dst = b"R" + bytes(range(20, 28))
    record = ('{"mime_type":"application/pdf","size_bytes":1234,"sources":[{"path":"/a/report.pdf","size":1234,'
              '"mtime_ns":1700000000000000000}],"metadata":{"title":"Report","author":"EO","subject":"","keywords":"",'
              '"creator":"","producer":"","created":"2001-07-16T10:00:00Z","modified":""},"title":"Report",'
              '"language":"en","extracted_by":"pdf 0.1.0","ingested_at_ms":1700000000000,"page_count":3,'
              '"ocr_page_count":1,"text_bytes":4567}')
    fact = ('{"kind":"item","item_type":"recommendation","number":"1","text":"Publish the data.","page":2,'
            '"start":10,"end":30,"responsible":["Data Unit"],"due":"2027-06-30",'
            '"management_response":{"status":"accepted","text":"Accepted.","page":2},'
            '"key_actions":[{"number":"1.1","text":"Build it","responsible":["Data Unit"],"time_frame":"Q3 2027",'
            '"start":"2027-07","due":"2027-09","status":"initiated","status_text":"In progress","page":2}]}')
    entity = ('{"kind":"entity","type":"organisation","name":"Lakeside Water Board","aliases":["LWB"],'
              '"mentions":[{"page":1,"start":4,"end":24}],"authority":true,"part_of":"Ministry of Water"}')
    return {
        "schema_version": bytes([0]) + struct.pack(">I", 1),
        "document_key": bytes([1]) + doc,
        "page_key": bytes([2]) + doc + struct.pack(">I", 7),
        "page_value": bytes([3, 2]) + struct.pack(">H", 9150) + "Página de texto".encode(),
        "source_value": bytes([4]) + doc + struct.pack(">QQ", 1234, 1700000000000000000),
        "pending_value": bytes([5, 1]),
        "edge_key": bytes([6]) + node + bytes([4]) + dst + doc,
        "edge_in_key": bytes([7]) + dst + bytes([4]) + node + doc,
        "doc_edge_key": bytes([8]) + doc + node + bytes([1]) + dst,
        "node_text": bytes([9]) + b"O:0102030405060708",
        "edge_name": bytes([9]) + b"has_action",
        "document_record": bytes([10]) + record.encode(),
        "item_fact": bytes([11]) + fact.encode(),
        "entity_fact": bytes([11]) + entity.encode(),
        "date_fact": bytes([11]) + b'{"kind":"date","text":"30 June 2027","value":"2027-06-30","precision":"day",'
                                  b'"page":1,"start":0,"end":12}',
    }


QUERIES = {
    "words": (0, "decentralization sanitation"),
    "prefixes": (33, 'title:evaluation AND (water OR sanitation) NOT budget year:2022 lang:en source:ocr'),
    "phrase": (0, '"best-practice experience" author:office type:application/pdf'),
    "org": (32, 'org:"Lakeside Water Board" OR org:LWB0 doc:0000000000000010'),
    "accents": (3, "evaluacion l’entrepreneuriat d'évaluation recomendación*"),
    "wildcards": (200, "eval* NOT -x AND* OR \"unterminated title: year:"),
}

# First byte (see fuzz/http_params_fuzzer.cc): bits 0-1 GET, GET, HEAD, OPTIONS;
# 4 POST; 8 the cached, CORS, token-less server; 16 a wrong token; 32 Origin;
# 64 a body; 128 Expect: 100-continue.
HTTP_TARGETS = {
    "search": (0, "/v1/search?q=water%20sanitation&limit=5&offset=0&lang=en&facets=true&year_from=2000&year_to=2030"),
    "search_filters": (8, "/v1/search?q=title%3Aevaluation&type=application/pdf&org=Lakeside+Water+Board&source=ocr"),
    "search_syntax": (8, "/v1/search?q=%22water+board%22+OR+educ*+lang%3Aes+year%3A2019&facets=false"),
    "documents": (0, "/v1/documents?limit=2&offset=1"),
    "document": (0, "/v1/documents/0000000000000010"),
    "page": (8, "/v1/documents/0000000000000010/pages/2"),
    "structure": (0, "/v1/documents/0000000000000011/structure"),
    "entities": (0, "/v1/entities?type=organisation&limit=10&offset=0"),
    "entities_doc": (8, "/v1/entities?doc=0000000000000012&type=entity"),
    "entity": (8, "/v1/entities/Bureau%20d%E2%80%99%C3%89valuation?mentions_limit=2&mentions_offset=0"),
    "entity_alias": (0, "/v1/entities/EO0"),
    "recommendations": (0, "/v1/recommendations?responsible=Lakeside+Water+Board&recurring=false&limit=3"),
    "recommendations_due": (8, "/v1/recommendations?due_before=2024-02-29&overdue_as_of=2025-01-01&doc=0000000000000010"),
    "actions": (0, "/v1/actions?status=initiated&due_before=2030-01-01&as_of=2024-06-01&limit=10"),
    "actions_evaluation": (8, "/v1/actions?responsible=EO1&evaluation=0000000000000011&overdue_as_of=2023-12-31"),
    "followup": (8, "/v1/followup?as_of=2025-01-01"),
    "duplicates": (0, "/v1/duplicates?limit=5&offset=0"),
    "neighbors": (0, "/v1/graph/neighbors/D:0000000000000010?depth=2&edge=mentions"),
    "stats": (0, "/v1/stats"),
    "openapi": (8, "/openapi.json"),
    "health": (3, "/health"),
    "ready": (16, "/ready?x=1"),
    "preflight": (8 | 32 | 3, "/v1/search?q=water"),
    "bad": (0, "/v1/search?q=%ff%fe&limit=99999999999&limit=2&unknown=1"),
    "bad_date": (0, "/v1/actions?as_of=2023-02-29"),
    "post_body": (4 | 64, "/v1/stats"),
    "expect_body": (4 | 64 | 128, "/v1/search?q=water"),
    "get_body": (8 | 64, "/v1/documents?limit=1"),
    "fragment": (8, "/v1/search?q=water#frag?x=1"),
    "two_questions": (8, "/v1/search??q=water?limit=2"),
    # A NUL cuts the request line where httplib reads it: a HEAD answered 400 with a body.
    "head_nul": (2 | 32 | 64, "/v1/entities/Bureau\x00%20d"),
}


def main():
    for name, data in pages().items():
        write("page_layout_fuzzer", name, data)
        write("table_layout_fuzzer", name, data)
    dates = {
        "en": "The board met on 31 August 2001 and again on March 3, 2002; actions due by Q3 2024, "
              "in June, by the end of April, 2019-2021, 03/04/2021 and 2021-04-03.",
        "fr": "Le comité s'est réuni le 1er février 2023 et le 14 juillet 2023 ; d'ici juillet, "
              "au troisième trimestre 2024, 31/12/2022, de janvier à mars 2024.",
        "es": "La reunión del 5 de mayo de 2020 y del 12 de diciembre de 2021; hasta marzo, "
              "primer trimestre de 2022, 15/06/2023, entre 2018 y 2020.",
        "numeric": "12/31/2020 and 1/2/2021 and 2021.04.03 and 7.8.99 and 2001",
    }
    for i, (name, text) in enumerate(dates.items()):
        write("dates_fuzzer", name, bytes([i]) + text.encode())

    def frame(kind, payload):
        return kind.encode() + struct.pack(">I", len(payload)) + payload

    def string(s):
        s = s.encode() if isinstance(s, str) else s
        return struct.pack(">I", len(s)) + s

    image = struct.pack(">5I", 1, 4, 3, 1, 30000) + bytes(range(12))
    frames = (frame("R", b"") + frame("M", string("title") + string("Report")) + frame("Q", struct.pack(">I", 2))
              + frame("G", image) + frame("O", struct.pack(">I", 2))
              + frame("P", struct.pack(">IBI", 1, 2, 0xFFFFFFFF) + string("page one text"))
              + frame("W", string("a warning")) + frame("D", string("pdf") + struct.pack(">I", 0)))
    write("worker_frame_fuzzer", "worker_run", frames)
    write("worker_frame_fuzzer", "job", frame("J", string("/a.pdf") + string("application/pdf") + string("pdf")
                                              + string(b"%PDF-1.4")))
    write("worker_frame_fuzzer", "ocr_job", frame("I", struct.pack(">5I", 3, 2, 2, 3, 0) + bytes(12)))
    write("worker_frame_fuzzer", "error", frame("E", struct.pack(">I", 5) + string("bad file")))

    for name, text in ENTITY_PAGES.items():
        write("entity_names_fuzzer", name, text.encode())
    for name, (language, text) in RESPONSE_PAGES.items():
        write("responses_fuzzer", name, bytes([language]) + text.encode())
    for name, data in store_seeds().items():
        write("store_codec_fuzzer", name, data)
    for name, (options, query) in QUERIES.items():
        write("search_query_fuzzer", name, bytes([options]) + query.encode())
    for name, (options, target) in HTTP_TARGETS.items():
        write("http_params_fuzzer", name, bytes([options]) + target.encode())


if __name__ == "__main__":
    main()
