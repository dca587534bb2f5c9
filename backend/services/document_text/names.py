"""Organisation names as printed: legal forms, bank words, well-known banks (the one home for them).

Statements read the bank's name with these tables (``statements/bank_name.py``), invoices the
vendor's (``invoices/vendor.py``). Everything here is a table or a pattern built from one; the
readers decide what a name is.
"""

from __future__ import annotations

import re

from .tables import alternation

# Legal forms that end a company's name, compared word by word as printed ("Nordbank eG",
# "Coolblue B.V.", "Citibank, N.A.").
LEGAL_FORMS = frozenset(
    {
        "GmbH", "AG", "eG", "KG", "KGaA", "UG", "SE", "e.K.", "B.V.", "BV", "N.V.", "NV",
        "Ltd", "Ltd.", "Limited", "Inc", "Inc.", "LLC", "LLP", "PLC", "plc", "Corp", "Corp.",
        "Corporation", "S.A.", "SA", "SAS", "SARL", "S.r.l.", "S.p.A.", "N.A.", "Oy", "AB",
        "ApS", "A/S", "ASA", "Bhd", "Bhd.", "Berhad", "K.K.", "SRL", "S.L.", "S.A.S.", "C.V.",
        "AS",  # Norway's aksjeselskap ("Fjordlys Regnskap AS")
        "s.r.o.", "a.s.",  # Czech and Slovak
        "Lda.", "Lda",  # Portugal's limitada
        "LTD", "LTD.", "Şti.", "ŞTİ.", "A.Ş.",  # Turkey's "Ltd. Şti." and anonim şirketi
        "L.L.C.", "FZE", "FZCO", "FZ-LLC",  # the UAE's, free-zone companies too
    }
)  # fmt: skip
# Words that open a legal form of several words, or join its parts, as printed ("Pvt. Ltd.",
# "Co., Ltd.", "Pte. Ltd.", "Sdn. Bhd.", "GmbH & Co. KG", Mexico's "S.A. de C.V."); compared
# without a trailing comma.
LEGAL_FORM_OPENERS = frozenset(
    {"Pvt.", "Pvt", "Private", "Pte.", "Pte", "Pty.", "Pty", "(Pty)", "Co.", "Sdn.", "Sdn", "&", "de"}
)
# Words that end an organisation's name without being a legal form ("Summit Card Services",
# "TD Canada Trust", "Kestrel Building Society"), lower case.
ORGANISATION_ENDINGS = frozenset(
    {"services", "financial", "finance", "trust", "group", "society", "union", "company", "bancorp"}
)
# Words that say "a bank" in the languages the parser reads; any word ending in "bank"
# ("Postbank", "Sparebank", "Kreditbank") counts too. ``\b`` first: one try per word.
BANK_WORDS = re.compile(
    r"\b(?:bank|banque|banco|banca|bancorp|bankcorp|sparkasse|volksbank|raiffeisenbank|credit union|"
    r"building society|savings (?:bank|and loan)|caisse d'[eé]pargne|cr[eé]dit (?:mutuel|agricole|lyonnais)|"
    r"caja|spaarbank)\b|\b\w+bank\b",
    re.IGNORECASE,
)
# Banks printed by their brand alone, without a bank word ("HSBC", "OCBC", "TD Canada Trust"),
# spelt as they print it (accented names both ways).
KNOWN_BANK_NAMES = (
    "HSBC", "Barclays", "Lloyds", "NatWest", "Santander", "Nationwide", "Monzo", "Revolut", "Starling",
    "Halifax", "Chase", "Citi", "Citibank", "Wells Fargo", "Capital One", "American Express", "Amex", "DBS",
    "OCBC", "UOB", "POSB", "ING", "ABN AMRO", "Rabobank", "BNP Paribas", "Société Générale",
    "Societe Generale", "Crédit Agricole", "Credit Agricole", "CIC", "Deutsche Bank", "Commerzbank", "N26",
    "UBS", "Credit Suisse", "Intesa Sanpaolo", "UniCredit", "BBVA", "CaixaBank", "Westpac", "ANZ", "NAB",
    "Commonwealth Bank", "RBC", "TD", "Scotiabank", "BMO", "CIBC",
)  # fmt: skip
# Banks that keep accounts in one dollar only, by a name they print (lower case): on their
# statements a bare "$" is that dollar. Only banks the parser names (``find_bank_name``).
DOLLAR_BANKS: dict[str, str] = {
    "td canada trust": "CAD", "rbc royal bank": "CAD", "cibc": "CAD", "desjardins": "CAD",
    "ocbc": "SGD", "dbs": "SGD", "posb": "SGD", "usaa": "USD",
}  # fmt: skip
KNOWN_BANKS = re.compile(rf"\b(?:{alternation(KNOWN_BANK_NAMES)})\b")
# A known bank by the name its web or e-mail domain spells ("cic" of "33999@cic.fr", "wellsfargo").
KNOWN_BANK_DOMAINS: dict[str, str] = {
    name.casefold().replace(" ", ""): name for name in KNOWN_BANK_NAMES if name.isascii()
}
# Words that say "this is a bank" rather than which bank (dropped from a bank's slug), lower case.
GENERIC_BANK_WORDS = frozenset(
    {
        "the", "of", "du", "de", "des", "la", "le", "bank", "banque", "banco", "banca", "bancorp", "bankcorp",
        "sparebank", "sparkasse", "national", "plc", "ag", "sa", "ltd", "limited", "inc", "na", "n", "co",
        "corp", "corporation", "company", "group", "building", "society", "savings", "services", "financial",
        "trust",
    }
)  # fmt: skip
# Small words inside a name printed in title case ("Banque du Littoral", "Bank of America"), lower case.
NAME_PARTICLES = frozenset(
    {"of", "the", "and", "&", "du", "de", "des", "la", "le", "et", "del", "y", "der", "die", "und", "van",
     "von", "di", "da", "do", "dos", "für", "voor"}
)  # fmt: skip
# Words that end a product or a document's title rather than an organisation's name
# ("TD Emerald Flex Rate Card", "OCBC 365 Credit Card", "Current Account Statement"), lower case.
PRODUCT_ENDINGS = frozenset(
    {"card", "cards", "account", "accounts", "statement", "visa", "mastercard", "loan", "mortgage", "saver",
     "kontoauszug", "auszug", "konto", "compte", "relevé", "releve", "extracto", "cuenta", "rekening",
     "afschrift", "rewards", "plus", "balance", "summary"}
)  # fmt: skip
# How a customer's name starts in an address block ("Frau Petra Pfiffig", "M. Pierre Martin").
SALUTATIONS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "herr", "frau", "m", "mme", "mlle", "monsieur", "madame",
     "sr", "sra", "srta", "don", "doña", "dhr", "mevr", "sig", "sig.ra"}
)  # fmt: skip
_CONTACT_MARKERS = ("www.", "http://", "https://", "BIC", "SWIFT")
# The bank's contact block: a web address, a BIC or SWIFT code printed near its name.
CONTACT_LINE = re.compile(rf"(?<![\w.])(?:{alternation(_CONTACT_MARKERS)})", re.IGNORECASE)
# The host of a web or e-mail address ("www.cic.fr", "33999@cic.fr", "https://online.hsbc.co.uk").
WEB_HOST = re.compile(r"(?:@|(?<![\w.])www\.|https?://)(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.IGNORECASE)
