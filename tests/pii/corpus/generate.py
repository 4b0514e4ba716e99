#!/usr/bin/env python3
"""Generates one labelled PII corpus set (positives, negatives) from a seed.

    python3 generate.py <set-name> <seed>

Writes <set-name>/positives.tsv and <set-name>/negatives.tsv. The key-name lists
(sensitive_keys.txt, ordinary_keys.txt) are written by hand.

positives.tsv: kind <TAB> key <TAB> value <TAB> pii   (pii: the substring that must vanish)
negatives.tsv: category <TAB> key <TAB> value          (must come out unchanged)
"""
import base64, json, os, random, string, sys

name, seed = sys.argv[1], int(sys.argv[2])
R = random.Random(seed)
pos, neg = [], []

def digits(n, first=None):
    s = ''.join(R.choice(string.digits) for _ in range(n))
    return (first + s[len(first):]) if first else s

def luhn_complete(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        total += d
    return body + str((10 - total % 10) % 10)

def luhn_ok(s):
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9: d -= 9
        total += d
    return total % 10 == 0

def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n]); i += n
    if i < len(s): out.append(s[i:])
    return sep.join(out)

CONTEXT = ["{}", "{}", "{}", "contact: {}", "see {} for details", "value={}", "({})", "{}.", "note - {} - end",
           "Customer said {} yesterday", "\"{}\""]
def ctx(v):
    return R.choice(CONTEXT).format(v)

KEYS = ["text", "message", "note", "comment", "description", "body", "input", "query", "value", "details"]
def key():
    return R.choice(KEYS)

def add(kind, value, pii=None, k=None, plain=False):
    text = value if plain else ctx(value)
    pos.append((kind, k or key(), text, pii or value))

# ---- e-mail
FIRST = ["john", "mary", "li", "ahmed", "sofia", "lukas", "chloe", "raj", "yuki", "olga", "pedro", "amara", "finn",
         "noor", "kwame", "ines", "mateo", "zoe", "ivan", "hana"]
LAST = ["smith", "garcia", "wang", "muller", "rossi", "dubois", "kowalski", "silva", "tanaka", "okafor", "nguyen",
        "o.brien", "van-dijk", "andersson", "novak", "haddad"]
DOMAINS = ["example.com", "gmail.com", "mail.co.uk", "web.de", "company.io", "uni-heidelberg.de", "sub.domain.org",
           "yahoo.fr", "outlook.com", "startup.ai", "posteo.net", "example.com.br", "ex-ample.travel", "x.co"]
for _ in range(70):
    f, l = R.choice(FIRST), R.choice(LAST)
    local = R.choice([f + "." + l, f + l, f[0] + l, f + "_" + l, f + "+" + R.choice(["news", "tag", "x1"]),
                      f + str(R.randint(1, 999)), (f + "." + l).upper(), f.capitalize() + "." + l.capitalize(),
                      f + "-" + l, f + "'" + l[:3]])
    add("email", local + "@" + R.choice(DOMAINS))

# ---- phones: international (country code, groups of the national significant number)
INTL = [("44", [[2, 4, 4], [4, 6]]), ("49", [[2, 8], [3, 8], [4, 7]]), ("33", [[1, 2, 2, 2, 2]]), ("34", [[3, 3, 3]]),
        ("39", [[2, 4, 4], [3, 3, 4]]), ("31", [[2, 3, 4], [1, 8]]), ("32", [[1, 3, 2, 2], [3, 2, 2, 2]]),
        ("41", [[2, 3, 2, 2]]), ("43", [[1, 7], [3, 7]]), ("46", [[1, 3, 3, 2], [2, 3, 2, 2]]), ("47", [[3, 2, 3]]),
        ("45", [[2, 2, 2, 2]]), ("358", [[2, 7]]), ("48", [[3, 3, 3]]), ("351", [[3, 3, 3]]), ("353", [[1, 3, 4], [2, 3, 4]]),
        ("91", [[5, 5]]), ("86", [[3, 4, 4]]), ("81", [[1, 4, 4], [2, 4, 4]]), ("82", [[2, 4, 4]]), ("61", [[1, 4, 4], [3, 3, 3]]),
        ("64", [[2, 3, 4]]), ("55", [[2, 5, 4], [2, 4, 4]]), ("52", [[2, 4, 4]]), ("54", [[1, 2, 4, 4]]), ("27", [[2, 3, 4]]),
        ("234", [[3, 3, 4]]), ("20", [[2, 4, 4]]), ("254", [[3, 6]]), ("972", [[2, 3, 4]]), ("971", [[2, 3, 4]]),
        ("966", [[2, 3, 4]]), ("90", [[3, 3, 2, 2]]), ("7", [[3, 3, 2, 2]]), ("65", [[4, 4]]), ("852", [[4, 4]]),
        ("886", [[1, 4, 4]]), ("63", [[3, 3, 4]]), ("62", [[3, 4, 4]]), ("66", [[2, 3, 4]]), ("84", [[2, 3, 2, 2]]),
        ("1", [[3, 3, 4]]), ("420", [[3, 3, 3]]), ("36", [[2, 3, 4]]), ("30", [[3, 3, 4]]), ("40", [[3, 3, 3]]),
        ("380", [[2, 3, 2, 2]]), ("212", [[3, 6]]), ("56", [[1, 4, 4]]), ("57", [[3, 3, 4]]), ("51", [[3, 3, 3]]),
        ("880", [[4, 6]]), ("92", [[3, 7]]), ("94", [[2, 3, 4]]), ("60", [[2, 4, 4]]), ("354", [[3, 4]]), ("352", [[3, 3, 3]]),
        ("356", [[4, 4]]), ("372", [[4, 4]]), ("370", [[3, 5]]), ("371", [[4, 4]])]
for _ in range(95):
    cc, forms = R.choice(INTL)
    sizes = R.choice(forms)
    nsn = digits(sum(sizes))
    nsn = str(R.randint(2, 9)) + nsn[1:]
    style = R.randint(0, 6)
    if style == 0:
        v = "+" + cc + nsn                                 # E.164
    elif style == 1:
        v = "+" + cc + " " + group(nsn, sizes, " ")
    elif style == 2:
        v = "+" + cc + "-" + group(nsn, sizes, "-")
    elif style == 3:
        v = "+" + cc + " " + group(nsn, sizes, ".")
    elif style == 4:
        v = "00" + cc + " " + group(nsn, sizes, " ")
    elif style == 5:
        v = "+" + cc + " (" + nsn[:sizes[0]] + ") " + group(nsn[sizes[0]:], sizes[1:], " ")
    else:
        v = "+" + cc + " (0)" + group(nsn, sizes, " ") if cc not in ("1", "7") else "+" + cc + nsn
    add("phone", v)

# ---- phones: US national forms
for _ in range(30):
    a = str(R.randint(2, 9)) + digits(2)
    e = str(R.randint(2, 9)) + digits(2)
    n = digits(4)
    v = R.choice(["({}) {}-{}", "{}-{}-{}", "{}.{}.{}", "{} {} {}", "1-{}-{}-{}", "+1 {} {} {}", "1 ({}) {} {}",
                  "({}){}-{}"]).format(a, e, n)
    add("phone", v)
for _ in range(6):
    a = str(R.randint(2, 9)) + digits(2); e = str(R.randint(2, 9)) + digits(2)
    add("phone", a + e + digits(4), k=R.choice(["phone", "mobile", "phone_number", "tel", "cell"]), plain=True)

# ---- payment cards
BRANDS = [("4", 16, [4, 4, 4, 4]), ("4", 13, [4, 4, 5]), ("51", 16, [4, 4, 4, 4]), ("55", 16, [4, 4, 4, 4]),
          ("2221", 16, [4, 4, 4, 4]), ("2720", 16, [4, 4, 4, 4]), ("34", 15, [4, 6, 5]), ("37", 15, [4, 6, 5]),
          ("6011", 16, [4, 4, 4, 4]), ("65", 16, [4, 4, 4, 4]), ("3528", 16, [4, 4, 4, 4]), ("3589", 16, [4, 4, 4, 4]),
          ("36", 14, [4, 6, 4]), ("62", 16, [4, 4, 4, 4]), ("62", 19, [4, 4, 4, 4, 3]), ("6759", 18, [4, 4, 4, 4, 2]),
          ("4", 19, [4, 4, 4, 4, 3])]
for _ in range(60):
    p, n, sizes = R.choice(BRANDS)
    if p in ("51", "55"): p = str(R.randint(51, 55))
    c = luhn_complete(p, n)
    sep = R.choice(["", " ", "-", " "])
    add("card", group(c, sizes, sep) if sep else c)

# ---- US SSNs
for _ in range(35):
    area = R.choice([x for x in range(1, 900) if x != 666])
    g, s = R.randint(1, 99), R.randint(1, 9999)
    sep = R.choice(["-", "-", "-", " "])
    v = "%03d%s%02d%s%04d" % (area, sep, g, sep, s)
    add("ssn", R.choice(["SSN {}", "{}", "ssn: {}", "social {}"]).format(v), v, plain=True)

# ---- IPv4
for _ in range(40):
    v = R.choice(["{}.{}.{}.{}".format(R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
                  "10.{}.{}.{}".format(R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
                  "192.168.{}.{}".format(R.randint(0, 255), R.randint(1, 254))])
    t = R.choice(["{}", "client {} connected", "{}:8080", "from {} via proxy", "X-Forwarded-For: {}, 10.0.0.1", "ip={}"])
    add("ipv4", t.format(v), v, plain=True)

# ---- IPv6
def v6():
    groups = ["%x" % R.randint(0, 0xffff) for _ in range(8)]
    style = R.randint(0, 6)
    if style == 0: return ":".join(groups)
    if style == 1: return ":".join("%04x" % int(g, 16) for g in groups).upper()
    if style == 2:
        i = R.randint(1, 6); j = R.randint(i + 1, 7)
        return ":".join(groups[:i]) + "::" + ":".join(groups[j:])
    if style == 3: return "2001:db8::" + groups[7]
    if style == 4: return "fe80::" + ":".join(groups[4:]) + "%eth0"
    if style == 5: return "::ffff:{}.{}.{}.{}".format(R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    return "2001:db8:" + groups[2] + "::"
for _ in range(40):
    v = v6()
    t = R.choice(["{}", "peer {} closed", "[{}]:443", "addr={}", "http://[{}]/status"])
    if "%" in v and t.startswith("http"): t = "{}"
    add("ipv6", t.format(v), v, plain=True)

# ---- IBANs (country, BBAN pattern: n digit, a upper letter, c alnum)
IBAN = [("DE", "8n10n"), ("GB", "4a6n8n"), ("FR", "10n11c2n"), ("ES", "20n"), ("IT", "1a10n12c"), ("NL", "4a10n"),
        ("BE", "12n"), ("CH", "5n12c"), ("AT", "16n"), ("PL", "24n"), ("SE", "20n"), ("NO", "11n"), ("DK", "14n"),
        ("FI", "14n"), ("IE", "4a6n8n"), ("PT", "21n"), ("LU", "3n13c"), ("SA", "2n18c"), ("AE", "3n16n"),
        ("TR", "5n1n16c"), ("BR", "23n1a1c"), ("CZ", "20n"), ("HU", "24n"), ("RO", "4a16c"), ("GR", "7n16c"),
        ("HR", "17n"), ("SI", "15n"), ("SK", "20n"), ("LT", "16n"), ("EE", "16n"), ("MT", "4a5n18c"), ("CY", "8n16c")]
def bban(pattern):
    out, num = "", ""
    for ch in pattern:
        if ch.isdigit(): num += ch; continue
        n = int(num); num = ""
        pool = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits + string.ascii_uppercase}[ch]
        out += "".join(R.choice(pool) for _ in range(n))
    return out
def iban_check(cc, b):
    s = b + cc + "00"
    num = int("".join(str(int(ch, 36)) for ch in s))
    return "%02d" % (98 - num % 97)
def make_iban(cc, b):
    return cc + iban_check(cc, b) + b
for _ in range(50):
    cc, pat = R.choice(IBAN)
    iban = make_iban(cc, bban(pat))
    v = R.choice([iban, group(iban, [4] * 9, " ")])
    add("iban", v)

# ---- JWTs
def b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")
for _ in range(30):
    hdr = {"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    if R.random() < 0.3: hdr["kid"] = digits(6)
    body = {"sub": digits(8), "iat": R.randint(1600000000, 1800000000)}
    if R.random() < 0.5: body["email"] = R.choice(FIRST) + "@example.com"
    if R.random() < 0.5: body["scope"] = "read write"
    sig = base64.urlsafe_b64encode(bytes(R.randint(0, 255) for _ in range(R.choice([32, 64, 48])))).decode().rstrip("=")
    tok = b64(hdr) + "." + b64(body) + "." + sig
    add("jwt", tok)

# ---- secrets
def rnd(n, pool=string.ascii_letters + string.digits):
    return "".join(R.choice(pool) for _ in range(n))
UPD = string.ascii_uppercase + string.digits
SECRETS = [lambda: "sk_live_" + rnd(24), lambda: "sk_test_" + rnd(24), lambda: "rk_live_" + rnd(24),
           lambda: "sk_live_" + rnd(99), lambda: "ghp_" + rnd(36), lambda: "gho_" + rnd(36), lambda: "ghs_" + rnd(36),
           lambda: "ghu_" + rnd(36), lambda: "github_pat_" + rnd(22) + "_" + rnd(59),
           lambda: "AKIA" + rnd(16, UPD), lambda: "ASIA" + rnd(16, UPD),
           lambda: "xoxb-" + digits(11) + "-" + digits(12) + "-" + rnd(24),
           lambda: "xoxp-" + digits(11) + "-" + digits(11) + "-" + digits(12) + "-" + rnd(32, "0123456789abcdef"),
           lambda: "AIza" + rnd(35, string.ascii_letters + string.digits + "-_"),
           lambda: "glpat-" + rnd(20, string.ascii_letters + string.digits + "-_"),
           lambda: "npm_" + rnd(36), lambda: "whsec_" + rnd(32), lambda: "sk-proj-" + rnd(48, string.ascii_letters + string.digits + "-_"),
           lambda: "SG." + rnd(22, string.ascii_letters + string.digits + "-_") + "." + rnd(43, string.ascii_letters + string.digits + "-_"),
           lambda: "shpat_" + rnd(32, "0123456789abcdef"), lambda: "hf_" + rnd(34)]
for _ in range(60):
    s = R.choice(SECRETS)()
    t = R.choice(["{}", "key {} rotated", "export TOKEN={}", "{}", "using {}"])
    add("secret", t.format(s), s, plain=True)
for _ in range(10):
    s = rnd(R.randint(20, 40), string.ascii_letters + string.digits + "-._~")
    add("secret", R.choice(["Bearer {}", "Authorization: Bearer {}", "bearer {}"]).format(s), s, plain=True)
for _ in range(5):
    kind = R.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    body = "\n".join(rnd(64, string.ascii_letters + string.digits + "+/") for _ in range(3))
    pem = "-----BEGIN %s-----\n%s\n-----END %s-----" % (kind, body, kind)
    add("secret", pem, body.split("\n")[0], plain=True)

# ---- credentials and sensitive query parameters in URLs
HOSTS = ["api.example.com", "db.internal:5432", "example.org", "hooks.example.net", "s3.amazonaws.com", "localhost:8080"]
for _ in range(45):
    host = R.choice(HOSTS)
    secret = rnd(R.randint(8, 32), string.ascii_letters + string.digits + "-_")
    style = R.randint(0, 5)
    if style == 0:
        u = "%s://%s:%s@%s/%s" % (R.choice(["https", "postgres", "redis", "ftp", "amqp"]), R.choice(FIRST), secret, host, R.choice(["", "db", "v1/items"]))
    elif style in (1, 2):
        p = R.choice(["token", "access_token", "api_key", "apikey", "password", "secret", "sig", "refresh_token",
                      "client_secret", "auth", "X-Amz-Signature", "id_token", "signature", "pwd", "session_token"])
        before = R.choice(["", "page=2&", "utm_source=mail&"])
        after = R.choice(["", "&lang=en", "&sort=asc"])
        u = "https://%s/%s?%s%s=%s%s" % (host, R.choice(["login", "v1/export", "cb", "download/file.csv"]), before, p, secret, after)
    elif style == 3:
        u = "https://%s/callback#access_token=%s&token_type=Bearer" % (host, secret)
    elif style == 4:
        u = "https://%s/reset?email_sent=1&Token=%s" % (host, secret)
    else:
        u = "https://%s/api?apiKey=%s" % (host, secret)
    add("url", u, secret, k=R.choice(["$current_url", "url", "link", "text", "$referrer"]))

# ================= negatives
def negc(cat, value, k=None):
    neg.append((cat, k or key(), value))
for _ in range(25):
    negc("order", R.choice(["ORD-%d-%06d" % (R.randint(2019, 2026), R.randint(1, 999999)), "#%d" % R.randint(1000, 9999999),
                            "order %s" % digits(8), "INV-%s" % digits(6), "PO%s" % digits(7), digits(R.randint(5, 9))]),
         R.choice(["order_id", "invoice", "text", "reference"]))
for _ in range(30):
    while True:
        c = digits(16, str(R.randint(1, 9)))
        if not luhn_ok(c): break
    negc("nonluhn", R.choice([c, group(c, [4, 4, 4, 4], " "), group(c, [4, 4, 4, 4], "-")]))
import uuid as uuidlib
for _ in range(25):
    u = str(uuidlib.UUID(int=R.getrandbits(128), version=4))
    negc("uuid", u.upper() if R.random() < 0.2 else u, R.choice(["$session_id", "request_id", "id", "text", "$insert_id"]))
for _ in range(30):
    y, mo, d, h, mi, s = R.randint(2000, 2030), R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)
    negc("timestamp", R.choice(["%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, mo, d, h, mi, s),
                                "%04d-%02d-%02dT%02d:%02d:%02d.%03d+%02d:%02d" % (y, mo, d, h, mi, s, R.randint(0, 999), R.randint(0, 12), R.choice([0, 30])),
                                "%04d-%02d-%02d %02d:%02d:%02d" % (y, mo, d, h, mi, s), "%02d/%02d/%04d" % (mo, d, y),
                                "%02d.%02d.%04d" % (d, mo, y), str(R.randint(1500000000, 1800000000)),
                                str(R.randint(1500000000000, 1800000000000)), "%02d:%02d:%02d" % (h, mi, s),
                                "Tue, %02d Mar %d %02d:%02d:%02d +0000" % (d, y, h, mi, s), "%04d-%02d-%02d" % (y, mo, d)]),
         R.choice(["timestamp", "created_at", "text", "sent_at"]))
for _ in range(30):
    a, b, c, d = R.randint(0, 30), R.randint(0, 40), R.randint(0, 300), R.randint(0, 9999)
    choice = R.randint(0, 5)
    if choice == 0: negc("version", "%d.%d.%d" % (a, b, c))
    elif choice == 1: negc("version", "%d.%d.%d.%d" % (a, b, c % 256, d % 256), R.choice(["app_version", "version", "$lib_version", "os_version", "build_version"]))
    elif choice == 2: negc("version", "v%d.%d.%d.%d" % (a, b, c, d))
    elif choice == 3: negc("version", "%d.0.%d.%d" % (R.randint(100, 130), R.randint(5000, 6500), R.randint(1, 200)))
    elif choice == 4: negc("version", "%d.%d.%d-beta.%d" % (a, b, c, R.randint(1, 9)))
    else: negc("version", "%d.%d.%d (build %s)" % (a, b, c, digits(8)))
for _ in range(15):
    negc("dotted", R.choice(["%d.%d.%d.%d" % (R.randint(256, 999), R.randint(0, 255), R.randint(0, 255), R.randint(0, 255)),
                             "%d.%d.%d.%d.%d" % tuple(R.randint(0, 255) for _ in range(5)),
                             "0%d.%d.%d.%d" % (R.randint(1, 9), R.randint(0, 255), R.randint(0, 255), R.randint(0, 255)),
                             "1.3.6.1.4.1.%d" % R.randint(1, 60000), "section %d.%d.%d" % (R.randint(1, 9), R.randint(1, 9), R.randint(1, 9))]))
for _ in range(25):
    negc("price", R.choice(["$%d.%02d" % (R.randint(1, 9999), R.randint(0, 99)), "$%d,%03d.%02d" % (R.randint(1, 99), R.randint(0, 999), R.randint(0, 99)),
                            "EUR %d,%02d" % (R.randint(1, 999), R.randint(0, 99)), "%d.%02d USD" % (R.randint(1, 99999), R.randint(0, 99)),
                            "+%d.%d%%" % (R.randint(0, 99), R.randint(0, 9)), "-%d.%02d" % (R.randint(0, 999), R.randint(0, 99)),
                            "%d" % R.randint(1, 100000), "1,%03d,%03d" % (R.randint(0, 999), R.randint(0, 999))]),
         R.choice(["price", "amount", "total", "text", "$revenue"]))
for _ in range(20):
    sha = "".join(R.choice("0123456789abcdef") for _ in range(40))
    negc("gitsha", R.choice([sha, sha[:7], sha[:12], "commit " + sha, sha.upper()[:10]]), R.choice(["commit", "sha", "text", "build"]))
for _ in range(20):
    negc("filename", R.choice(["logo@2x.png", "icon@3x.webp", "avatar@2x.jpg", "hero-banner@1.5x.png",
                               "report-%d-%02d-%02d.pdf" % (R.randint(2019, 2026), R.randint(1, 12), R.randint(1, 28)),
                               "IMG_%s_%s.jpg" % (digits(8), digits(6)), "backup.tar.gz", "@angular/core@%d.%d.%d" % (R.randint(10, 18), R.randint(0, 9), R.randint(0, 9)),
                               "lodash@4.17.%d" % R.randint(1, 21), "data_%s.csv" % digits(10), "screen@2x~ipad.png"]))
WORDS = "the quick brown fox jumps over lazy dog settings dashboard pricing signup checkout billing invoice team workspace project".split()
for _ in range(25):
    negc("text", " ".join(R.choice(WORDS) for _ in range(R.randint(1, 8))))
OTHER = ["std::string", "std::vector<int>", "Foo::Bar::baz()", "00:1A:2B:3C:4D:5E", "a4:5e:60:d1:22:9f", "16:9", "10:30", "12:30:45.123",
         "@johndoe", "ping @channel", "user@localhost", "978-3-16-148410-0", "ISBN 0-306-40615-2", "1Z999AA10123456784",
         "94107-1234", "#ff8800", "rgb(255, 128, 0)", "width=1920&height=1080", "https://example.com/pricing?plan=pro&tokens=3",
         "https://example.com/?author=bob&keyboard=us", "https://docs.example.com/guide#section-2", "/api/v1/users/12345/orders",
         "the bearer of this card", "Bearer", "token", "password reset requested", "pk_live_ref", "sk_", "AKIA", "eyJ",
         "a.b.c", "file.name.ext", "000-12-3456", "666-12-3456", "123-00-4567", "900-12-3456", "123-45-0000",
         "DE00 1234 5678 9012 3456 78", "GB00WEST12345698765432", "NL00ABNA0417164300", "+1", "+100 points", "+5",
         "x1080", "1920x1080", "3.14159", "2.718281828459045", "1e-9", "0x7fff5fbff8c8", "0xDEADBEEF", "200 OK",
         "HTTP/1.1", "en-US", "Europe/Berlin", "UTC+05:30", "GMT+2", "chrome 120.0.6099.109", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
         "iPhone14,2", "SM-G991B", "Linux x86_64", "ab::cd-not", "node:fs", "urn:isbn:0451450523", "mailto:", "C:\\Users\\Public",
         "key=value", "api_version=2", "page_token=next", "max_tokens=4096", "tokens_used: 1234", "author: jane",
         "keyboard layout", "passenger 3 of 4", "cvv", "pin the tab", "secret santa", "auth flow started"]
OTHER_TUNING = ["std::map<int, int>", "ns1::ns2::f", "de:ad:be:ef", "12:00", "23:59:59", "@team-leads", "root@",
                "979-10-90636-07-1", "SW1A 1AA", "#00aaff", "https://example.com/docs?page=2&per_page=50",
                "https://example.com/?tokenizer=bpe", "bearer bonds", "secret menu", "sk8er", "AKIAb", "eyJhbGciOi",
                "x.y.z", "001-01-0001x", "FR00 0000 0000 0000 0000 0000 000", "+7 days", "+30%", "4K 3840x2160",
                "Python/3.11.4", "Mac OS X 14.2.1", "build 2024.03.05.1", "release-2024-03-05", "lat 52.5200 lon 13.4050",
                "52.520008,13.404954", "room 4.12", "tel:", "max_tokens: 1024", "total_tokens 55", "secretary",
                "authored by bob", "the password field is empty"]
for o in (OTHER if name == "heldout" else OTHER_TUNING):
    negc("other", o)

os.makedirs(name, exist_ok=True)
with open(os.path.join(name, "positives.tsv"), "w") as f:
    f.write("# kind\tkey\tvalue\tpii  (generated: python3 generate.py %s %d)\n" % (name, seed))
    for row in pos:
        f.write("\t".join(x.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t") for x in row) + "\n")
with open(os.path.join(name, "negatives.tsv"), "w") as f:
    f.write("# category\tkey\tvalue  (generated: python3 generate.py %s %d)\n" % (name, seed))
    for row in neg:
        f.write("\t".join(x.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t") for x in row) + "\n")
print(name, len(pos), "positives", len(neg), "negatives")
