"""Georgian → Latin transliteration (the 2002 national system), for search that forgives script.

A resident types "rustaveli", "Rustaveli" or "რუსთაველი" and finds the same avenue: names are
stored with their transliteration, and queries are transliterated before matching.
"""

KA_TO_LATIN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
    "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
    "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch",
    "ხ": "kh", "ჯ": "j", "ჰ": "h",
}


def transliterate(text: str) -> str:
    """Lower-case Latin form of Georgian (Mkhedruli) text; other characters are kept, lower-cased."""
    return "".join(KA_TO_LATIN.get(ch, ch) for ch in (text or "").lower())


def search_form(*names: str) -> str:
    """What search matches against: every name given, transliterated, lower case, one space apart."""
    return " ".join(transliterate(n) for n in names if n).strip()
