"""Local authorities by the DfE's LA number, and every spelling of their names in the DfE's files.

The statistics files name an area and give its LA number (`old_la_code`); the statistical
neighbours file names areas only, and spells four of them its own way. Fulfil matches
neighbours by LA number: a name from any file goes through `la_code`, which knows the names
the statistics files use (`LOCAL_AUTHORITIES`, from the 2025 release: every area in every
year it holds, including Cumbria and Northamptonshire before they were split) and the other
spellings (`OTHER_SPELLINGS`). Case, "&" for "and", full stops and commas do not matter.
`fulfil/comparisons/tests/test_la_names.py` reads every name in the published files and fails
if one is not matched: a new spelling goes into `OTHER_SPELLINGS`.
"""

from __future__ import annotations

import re

# DfE LA number -> the name the statistics files give it.
LOCAL_AUTHORITIES: dict[str, str] = dict([
    ("201", "City of London"),
    ("202", "Camden"),
    ("203", "Greenwich"),
    ("204", "Hackney"),
    ("205", "Hammersmith and Fulham"),
    ("206", "Islington"),
    ("207", "Kensington and Chelsea"),
    ("208", "Lambeth"),
    ("209", "Lewisham"),
    ("210", "Southwark"),
    ("211", "Tower Hamlets"),
    ("212", "Wandsworth"),
    ("213", "Westminster"),
    ("301", "Barking and Dagenham"),
    ("302", "Barnet"),
    ("303", "Bexley"),
    ("304", "Brent"),
    ("305", "Bromley"),
    ("306", "Croydon"),
    ("307", "Ealing"),
    ("308", "Enfield"),
    ("309", "Haringey"),
    ("310", "Harrow"),
    ("311", "Havering"),
    ("312", "Hillingdon"),
    ("313", "Hounslow"),
    ("314", "Kingston upon Thames"),
    ("315", "Merton"),
    ("316", "Newham"),
    ("317", "Redbridge"),
    ("318", "Richmond upon Thames"),
    ("319", "Sutton"),
    ("320", "Waltham Forest"),
    ("330", "Birmingham"),
    ("331", "Coventry"),
    ("332", "Dudley"),
    ("333", "Sandwell"),
    ("334", "Solihull"),
    ("335", "Walsall"),
    ("336", "Wolverhampton"),
    ("340", "Knowsley"),
    ("341", "Liverpool"),
    ("342", "St. Helens"),
    ("343", "Sefton"),
    ("344", "Wirral"),
    ("350", "Bolton"),
    ("351", "Bury"),
    ("352", "Manchester"),
    ("353", "Oldham"),
    ("354", "Rochdale"),
    ("355", "Salford"),
    ("356", "Stockport"),
    ("357", "Tameside"),
    ("358", "Trafford"),
    ("359", "Wigan"),
    ("370", "Barnsley"),
    ("371", "Doncaster"),
    ("372", "Rotherham"),
    ("373", "Sheffield"),
    ("380", "Bradford"),
    ("381", "Calderdale"),
    ("382", "Kirklees"),
    ("383", "Leeds"),
    ("384", "Wakefield"),
    ("390", "Gateshead"),
    ("391", "Newcastle upon Tyne"),
    ("392", "North Tyneside"),
    ("393", "South Tyneside"),
    ("394", "Sunderland"),
    ("420", "Isles of Scilly"),
    ("800", "Bath and North East Somerset"),
    ("801", "Bristol, City of"),
    ("802", "North Somerset"),
    ("803", "South Gloucestershire"),
    ("805", "Hartlepool"),
    ("806", "Middlesbrough"),
    ("807", "Redcar and Cleveland"),
    ("808", "Stockton-on-Tees"),
    ("810", "Kingston upon Hull, City of"),
    ("811", "East Riding of Yorkshire"),
    ("812", "North East Lincolnshire"),
    ("813", "North Lincolnshire"),
    ("815", "North Yorkshire"),
    ("816", "York"),
    ("821", "Luton"),
    ("822", "Bedford"),
    ("823", "Central Bedfordshire"),
    ("825", "Buckinghamshire"),
    ("826", "Milton Keynes"),
    ("830", "Derbyshire"),
    ("831", "Derby"),
    ("835", "Dorset"),
    ("836", "Poole"),
    ("837", "Bournemouth"),
    ("838", "Dorset"),
    ("839", "Bournemouth, Christchurch and Poole"),
    ("840", "County Durham"),
    ("841", "Darlington"),
    ("845", "East Sussex"),
    ("846", "Brighton and Hove"),
    ("850", "Hampshire"),
    ("851", "Portsmouth"),
    ("852", "Southampton"),
    ("855", "Leicestershire"),
    ("856", "Leicester"),
    ("857", "Rutland"),
    ("860", "Staffordshire"),
    ("861", "Stoke-on-Trent"),
    ("865", "Wiltshire"),
    ("866", "Swindon"),
    ("867", "Bracknell Forest"),
    ("868", "Windsor and Maidenhead"),
    ("869", "West Berkshire"),
    ("870", "Reading"),
    ("871", "Slough"),
    ("872", "Wokingham"),
    ("873", "Cambridgeshire"),
    ("874", "Peterborough"),
    ("876", "Halton"),
    ("877", "Warrington"),
    ("878", "Devon"),
    ("879", "Plymouth"),
    ("880", "Torbay"),
    ("881", "Essex"),
    ("882", "Southend-on-Sea"),
    ("883", "Thurrock"),
    ("884", "Herefordshire, County of"),
    ("885", "Worcestershire"),
    ("886", "Kent"),
    ("887", "Medway"),
    ("888", "Lancashire"),
    ("889", "Blackburn with Darwen"),
    ("890", "Blackpool"),
    ("891", "Nottinghamshire"),
    ("892", "Nottingham"),
    ("893", "Shropshire"),
    ("894", "Telford and Wrekin"),
    ("895", "Cheshire East"),
    ("896", "Cheshire West and Chester"),
    ("908", "Cornwall"),
    ("909", "Cumbria"),
    ("916", "Gloucestershire"),
    ("919", "Hertfordshire"),
    ("921", "Isle of Wight"),
    ("925", "Lincolnshire"),
    ("926", "Norfolk"),
    ("928", "Northamptonshire"),
    ("929", "Northumberland"),
    ("931", "Oxfordshire"),
    ("933", "Somerset"),
    ("935", "Suffolk"),
    ("936", "Surrey"),
    ("937", "Warwickshire"),
    ("938", "West Sussex"),
    ("940", "North Northamptonshire"),
    ("941", "West Northamptonshire"),
    ("942", "Cumberland"),
    ("943", "Westmorland and Furness"),
])

# A number the DfE no longer uses whose name a current area took: a name means the current area.
# Dorset County Council (835) became Dorset Council (838) in April 2019.
SUPERSEDED: dict[str, str] = {"835": "838"}

# Names the DfE's statistical neighbours file spells differently from its statistics files.
OTHER_SPELLINGS: dict[str, str] = {
    "Bedford Borough": "822",
    "Durham": "840",
    "Herefordshire": "884",
    "Kingston Upon Hull, City of": "810",
}


def _key(name: str) -> str:
    name = name.lower().replace("&", " and ")
    return " ".join(re.sub(r"[.,']", " ", name).split())


_CODES: dict[str, str] = {_key(name): code for code, name in LOCAL_AUTHORITIES.items() if code not in SUPERSEDED}
_CODES.update({_key(name): code for name, code in OTHER_SPELLINGS.items()})


def la_code(name: str) -> str | None:
    """The DfE LA number of the area named `name` in any of the DfE's files, or None."""
    return _CODES.get(_key(name))
