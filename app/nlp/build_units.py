"""Build ``resources/patterns/units_pint.json``, the value reader's unit table, from pint's registry.

pint (https://pint.readthedocs.io) maintains unit names, symbols, aliases,
prefixes and conversion factors. News copy uses a small part of its ~1,000
units, and many of the rest are English words ("3 points", "two hands",
"a league"), so this script takes the units named in ``NEWS_UNITS`` with the
prefixes that occur in news, asks pint for each one's symbol, aliases and
factor to one unit per dimension, adds the plural and "square"/"cubic"/"sq"
forms, and writes one flat table: written form -> [unit, factor]. Names are
looked up without case; symbols keep their case ("mm" is not "MM", "t" is
not "T").

Run it after upgrading pint: ``python -m claimdesk.nlp.build_units``. The reader
itself only reads the JSON (pint is a development dependency), so loading
costs a millisecond, not pint's registry.
"""

from __future__ import annotations

import json
import sys

from claimdesk.paths import resource

# the unit every dimension is stored in
# SI where news copy writes SI; where it writes a larger unit (energy in kWh, power in MW, data in GB,
# speed in km/h), that unit, as the reader always stored them.
CANONICAL = ("m", "kg", "m2", "l", "km/h", "kWh", "MW", "Pa", "Hz", "Sv", "V", "A", "ohm")
_PINT_NAME = {"m2": "m**2", "km/h": "km/hour", "Mbit/s": "Mbit/second"}

# pint unit -> prefixes used with it in news (pint prefix names)
NEWS_UNITS: dict[str, tuple[str, ...]] = {
    "meter": ("", "kilo", "centi", "milli", "micro", "nano"),
    "foot": ("",), "inch": ("",), "yard": ("",), "mile": ("",), "nautical_mile": ("",), "fathom": ("",),
    "light_year": ("",), "astronomical_unit": ("",),
    "gram": ("", "kilo", "milli", "micro"),
    "metric_ton": ("",), "short_ton": ("",), "long_ton": ("",), "pound": ("",), "ounce": ("",),
    "carat": ("",),
    "hectare": ("",), "acre": ("",),
    "liter": ("", "milli", "centi", "deci", "hecto"),
    "gallon": ("",), "imperial_gallon": ("",), "quart": ("",), "pint": ("",), "cup": ("",),
    "tablespoon": ("",), "teaspoon": ("",), "fluid_ounce": ("",), "oil_barrel": ("",), "bushel": ("",),
    "knot": ("",), "mile_per_hour": ("",), "kilometer_per_hour": ("",),
    "joule": ("", "kilo", "mega", "giga"), "watt_hour": ("", "kilo", "mega", "giga", "tera"),
    "watt": ("", "kilo", "mega", "giga", "tera"), "horsepower": ("",),
    "pascal": ("", "hecto", "kilo", "mega"), "bar": ("", "milli"), "psi": ("",),
    "atmosphere": ("",),
    "hertz": ("", "kilo", "mega", "giga"),
    "sievert": ("", "milli", "micro"),
    "byte": ("", "kilo", "mega", "giga", "tera", "peta"),
    "bit": ("", "kilo", "mega", "giga", "tera"),
    "volt": ("", "kilo", "milli"), "ampere": ("", "milli", "kilo"), "ohm": ("", "kilo", "mega"),
    "revolutions_per_minute": ("",), "micron": ("",),
}
# written forms that are English words first and units second, or clash with other readings
SKIP = {"in", "at", "a", "s", "d", "h", "bar", "bars", "pint", "cup", "cp", "B", "b", "t", "T", "G", "ha", "gr",
        "mil", "Pa", "kt", "u", "mpa", "quart", "bit", "bits", "A", "µ", "μ"}
EXTRA_NAMES = {
    # forms news copy uses that pint does not list, as (written form, pint unit)
    "kilos": "kilogram", "kilo": "kilogram", "lbs": "pound", "tonnes": "metric_ton", "tonne": "metric_ton",
    "metric tons": "metric_ton", "metric tonnes": "metric_ton", "tons": "short_ton", "ton": "short_ton",
    "kph": "kilometer_per_hour", "km/h": "kilometer_per_hour", "kmh": "kilometer_per_hour",
    "km/hr": "kilometer_per_hour", "kmph": "kilometer_per_hour", "mph": "mile_per_hour",
    "miles per hour": "mile_per_hour", "miles an hour": "mile_per_hour",
    "kilometres per hour": "kilometer_per_hour", "kilometers per hour": "kilometer_per_hour",
    "kilometres an hour": "kilometer_per_hour", "kilometers an hour": "kilometer_per_hour",
    "m/s": "meter / second", "metres per second": "meter / second", "meters per second": "meter / second",
    "km/s": "kilometer / second", "kilometres per second": "kilometer / second",
    "kilometers per second": "kilometer / second",
    "sq km": "kilometer ** 2", "sq. km": "kilometer ** 2", "sq m": "meter ** 2", "sq ft": "foot ** 2",
    "sq. ft.": "foot ** 2", "sq mi": "mile ** 2", "km2": "kilometer ** 2", "km²": "kilometer ** 2",
    "m2": "meter ** 2", "m²": "meter ** 2", "ft2": "foot ** 2", "ft²": "foot ** 2", "mi²": "mile ** 2",
    "cm²": "centimeter ** 2", "m3": "meter ** 3", "m³": "meter ** 3", "cc": "centimeter ** 3",
    "bcm": "1e9 * meter ** 3", "tcf": "1e12 * foot ** 3",
    "barrels": "oil_barrel", "barrel": "oil_barrel", "bbl": "oil_barrel",
    "calories": "kilocalorie", "calorie": "kilocalorie", "kcal": "kilocalorie",
    "bhp": "horsepower", "knots": "knot", "Mbps": "megabit / second", "Gbps": "gigabit / second",
    "kbps": "kilobit / second", "Mb/s": "megabit / second", "Gb/s": "gigabit / second",
    "cups": "cup", "cup": "cup", "pints": "pint", "quarts": "quart", "mb": "millibar", "millibars": "millibar",
    "ha": "hectare", "stone": "stone", "litre": "liter", "litres": "liter", "Kg": "kilogram",
    "decibels": "decibel", "decibel": "decibel", "dB": "decibel",
    "KG": "kilogram", "KM": "kilometer", "Km": "kilometer",
    "fl oz": "fluid_ounce", "fl. oz.": "fluid_ounce", "fl. oz": "fluid_ounce", "mL": "milliliter",
    "cL": "centiliter", "dL": "deciliter", "µl": "microliter", "μl": "microliter", "L": "liter",
    "microns": "micron", "amps": "ampere", "amp": "ampere", "RPM": "revolutions_per_minute",
    "sq. m": "meter ** 2", "sq. m.": "meter ** 2", "sq.m": "meter ** 2", "sq.m.": "meter ** 2",
    "sq metres": "meter ** 2", "sq meters": "meter ** 2", "sq miles": "mile ** 2", "sq. miles": "mile ** 2",
    "sq kilometres": "kilometer ** 2", "sq feet": "foot ** 2", "sqm": "meter ** 2", "sqft": "foot ** 2",
    "kilowatt-hours": "kilowatt_hour", "kilowatt-hour": "kilowatt_hour",
    "mpg": "mile / gallon", "miles per gallon": "mile / gallon", "MPG": "mile / gallon",
}
# plural forms pint does not list
IRREGULAR = {"foot": "feet", "inch": "inches", "hertz": "hertz", "horsepower": "horsepower", "psi": "psi",
             "century": "centuries"}
AREA_VOLUME = ("meter", "kilometer", "centimeter", "foot", "yard", "mile", "inch")


def _plural(name: str) -> str:
    if " per " in name or " an " in name:
        head, sep, tail = name.partition(" per " if " per " in name else " an ")
        return _plural(head) + sep + tail
    for singular, plural in IRREGULAR.items():
        if name.endswith(singular):
            return name[: -len(singular)] + plural
    if name.endswith(("s", "x", "ch", "sh", "z", "feet")) or len(name) <= 3:
        return name
    return name + "s"


def build() -> dict[str, dict[str, list]]:
    import pint

    ureg = pint.UnitRegistry()

    def convert(unit_expr: str) -> tuple[str, float] | None:
        if unit_expr == "revolutions_per_minute":
            return "rpm", 1.0  # pint counts a revolution as 2π radians; news counts turns
        if unit_expr == "mile / gallon":
            return "mpg", 1.0  # a fuel economy, kept as written (its inverse is litres per 100 km)
        scale, _, unit_expr = unit_expr.rpartition(" * ") if unit_expr[0].isdigit() else ("1", "", unit_expr)
        q = ureg.Quantity(float(scale), unit_expr)
        dim = str(q.dimensionality)
        if dim == "dimensionless" or "bit" in unit_expr or "byte" in unit_expr:  # bytes, bits, decibels: each kind keeps its own unit
            kind = ("Mbit/s", "megabit / second") if "bit" in unit_expr and "second" in unit_expr else (
                ("GB", "gigabyte") if "byte" in unit_expr else ("Mbit", "megabit") if "bit" in unit_expr else
                ("dB", "decibel") if "decibel" in unit_expr else (None, None))
            return None if kind[0] is None else (kind[0], float(q.to(kind[1]).magnitude))
        canon = next((c for c in CANONICAL
                      if ureg.Quantity(1.0, _PINT_NAME.get(c, c)).dimensionality == q.dimensionality), None)
        if canon is None:
            return None
        return canon, float(q.to(_PINT_NAME.get(canon, canon)).magnitude)

    names: dict[str, list] = {}  # lower-case written form -> [unit, factor]
    symbols: dict[str, list] = {}  # exact written form -> [unit, factor]

    def add(table: dict, form: str, entry) -> None:
        if form and form not in SKIP and form.lower() not in SKIP and form not in table:
            table[form] = entry

    for base, prefixes in NEWS_UNITS.items():
        definition = ureg._units[base]
        for prefix in prefixes:
            pdef = ureg._prefixes[prefix]
            unit_name = prefix + base
            entry = convert(unit_name)
            if entry is None:
                continue
            entry = [entry[0], entry[1]]
            spellings = {base, *definition.aliases}
            for spelling in spellings:
                if len(spelling) < 3 or spelling in ("octet", "cal"):
                    continue
                if "_" in spelling and spelling.split("_")[0] in ("international", "avoirdupois", "avdp", "US",
                                                                  "UK", "liquid", "knot"):
                    continue
                written = (prefix + spelling).replace("_", " ")
                if not written[0].isalpha() or (written[0].isupper() and len(written) > 3):
                    continue
                add(names, written.lower(), entry)
                add(names, _plural(written.lower()), entry)
            sym = definition.symbol
            if sym and sym != "_" and "_" not in sym:
                written_sym = (pdef.symbol if prefix else "") + sym
                add(symbols, written_sym, entry)
    for length in AREA_VOLUME:
        for power, word in ((2, "square"), (3, "cubic")):
            entry = convert(f"{length} ** {power}")
            spellings = {length, *ureg._units.get(length, ureg._units["meter"]).aliases} if length in ureg._units else {length}
            if length.endswith("meter"):
                spellings |= {length.replace("meter", "metre")}
            for spelling in spellings:
                if "_" in spelling or spelling[0].isupper():
                    continue
                for form in (spelling, _plural(spelling)):
                    add(names, f"{word} {form}", [entry[0], entry[1]])
    for form, expr in EXTRA_NAMES.items():
        entry = convert(expr)
        if entry is None:
            raise ValueError(f"pint cannot read {expr!r}")
        table = names if form == form.lower() and form not in ("m2", "m3", "km2", "cc", "mb") else symbols
        key = form.lower() if table is names else form
        table[key] = [entry[0], entry[1]]
    return {"names": dict(sorted(names.items())), "symbols": dict(sorted(symbols.items()))}


def render(table: dict[str, dict[str, list]]) -> str:
    """The JSON file's text: one written form a line, so a pint upgrade shows as a readable diff."""
    lines = ["{", '"_source": "generated by python -m claimdesk.nlp.build_units from pint\'s registry; do not edit",']
    for i, part in enumerate(("names", "symbols")):
        lines.append(f"{json.dumps(part)}: {{")
        items = list(table[part].items())
        for j, (form, (unit, factor)) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(f"  {json.dumps(form, ensure_ascii=False)}: [{json.dumps(unit)}, {factor!r}]{comma}")
        lines.append("}," if i == 0 else "}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    table = build()
    path = resource("patterns", "units_pint.json")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(table))
    print(f"{len(table['names'])} names, {len(table['symbols'])} symbols -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
