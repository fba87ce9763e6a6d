//! English phrases.

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
a|filler
about|price_lead
above|at_least
america|country:US
amps|unit
an|filler
and|and filler
and above|or_more
and below|or_less
and less|or_less
and more|or_more
and over|or_more
and under|or_less
and up|or_more
any|filler
approx|price_lead
approximately|price_lead
around|price_lead
ascending|sort:asc
at least|or_more at_least
at most|at_most or_less
australia|country:AU
belgium|country:BE
below|at_most
best seller|sort:orders
best sellers|sort:orders
best selling|sort:orders
bestseller|sort:orders
bestsellers|sort:orders
bestselling|sort:orders
between|between
brazil|country:BR
britain|country:GB
bucks|money:$
budget|price_word
buy|filler
by price|sort:price
cheaper than|at_most
cheapest|sort:price_asc
cheapest first|sort:price_asc
chile|country:CL
china|country:CN
cost|price_word
costing|price_word
costs|price_word
czech republic|country:CZ
czechia|country:CZ
days|unit
delivered|ship_verb
delivery|ship_verb
descending|sort:desc
dirhams|money:AED
dispatch|ship_verb
dispatched|ship_verb
dollar|money:$
dollars|money:$
england|country:GB
euro|money:EUR
euros|money:EUR
feet|unit
find|filler
find me|filler
five|digit:5
for|filler price_lead
four|digit:4
france|country:FR
free delivery|free_shipping
free postage|free_shipping
free ship|free_shipping
free shipment|free_shipping
free shipping|free_shipping
from|at_least from
from high to low|sort:price_desc
from low to high|sort:price_asc
gallons|unit
germany|country:DE
get me|filler
great britain|country:GB
high to low|sort:price_desc
higher than|at_least
highest first|sort:desc
highest price|sort:price_desc
highest price first|sort:price_desc
holland|country:NL
hours|unit
hryvnia|money:UAH
hungary|country:HU
i|filler
i am looking for|filler
i need|filler
i want|filler
i want to buy|filler
i would like|filler
i'd|filler
i'd like|filler
i'm|filler
i'm looking for|filler
im|filler
im looking for|filler
in|filler in
inch|unit
inches|unit
israel|country:IL
italy|country:IT
japan|country:JP
just arrived|sort:newest
kazakhstan|country:KZ
korea|country:KR
latest|sort:newest
less than|at_most
liters|unit
litres|unit
looking for|filler
low to high|sort:price_asc
lower than|at_most
lowest first|sort:asc
lowest price|sort:price_asc
lowest price first|sort:price_asc
lowest prices|sort:price_asc
max|at_most or_less
maximum|at_most or_less
me|filler
meter|unit
meters|unit
metre|unit
metres|unit
mexico|country:MX
min|at_least
minimum|or_more at_least
months|unit
more than|at_least
most expensive|sort:price_desc
most expensive first|sort:price_desc
most ordered|sort:orders
most orders|sort:orders
most popular|sort:orders
most recent|sort:newest
most sold|sort:orders
my|filler
need|filler
netherlands|country:NL
new arrivals|sort:newest
newest|sort:newest
newest first|sort:newest
newly listed|sort:newest
no less than|at_least
no more than|at_most
no shipping cost|free_shipping
no shipping fee|free_shipping
not less than|at_least
not more than|at_most
of|filler
or above|or_more
or below|or_less
or better|or_more
or cheaper|or_less
or higher|or_more
or less|or_less
or lower|or_less
or more|or_more
or under|or_less
ounces|unit
over|at_least
pack|unit
packs|unit
pair|unit
pairs|unit
people|unit
persons|unit
pesos|money
piece|unit
pieces|unit
please|filler
poland|country:PL
ports|unit
portugal|country:PT
pound|money?:GBP
pounds|money?:GBP
pounds sterling|money:GBP
price|price_word
price ascending|sort:price_asc
price descending|sort:price_desc
price high to low|sort:price_desc
price low to high|sort:price_asc
price range|price_word
priced|price_word
priced at|price_word
prices|price_word
priciest|sort:price_desc
quid|money:GBP
rated|rating_word
rating|rating_word
ratings|rating_word
reais|money:BRL
real|money?:BRL
recently added|sort:newest
rouble|money:RUB
roubles|money:RUB
roughly|price_lead
ruble|money:RUB
rubles|money:RUB
rupees|money:INR
russia|country:RU
saudi arabia|country:SA
search for|filler
searching for|filler
sent|ship_verb
ship|ship_verb
shipped|ship_verb
shipping|ship_verb
ships|ship_verb
ships free|free_shipping
show me|filler
some|filler
sort by price|sort:price
sorted by price|sort:price
south korea|country:KR
spain|country:ES
star|star
stars|star
starting at|at_least
starting from|at_least
stock|warehouse
the|filler
three|digit:3
to|to
top seller|sort:orders
top sellers|sort:orders
top selling|sort:orders
tops|or_less
turkey|country:TR
u.s|country:US
u.s.a|country:US
uae|country:AE
ukraine|country:UA
under|at_most
united arab emirates|country:AE
united kingdom|country:GB
united states|country:US
units|unit
up to|at_most
us dollars|money:USD
usa|country:US
volts|unit
want|filler
want to buy|filler
warehouse|warehouse
warehouses|warehouse
watts|unit
with|filler
within|at_most
won|money?:KRW
years|unit
yen|money:JPY
yuan|money:CNY
zloty|money:PLN
zlotys|money:PLN
";

/// Words that say the shopper describes a person, an occasion or a wish rather than names a
/// product ("a gift for a ten-year-old who likes space"), folded as the phrases are, sorted; a
/// word ending in `*` is a stem. Read by [`super::describes`]. Not listed: words that are
/// also product words or brands (`boy`, `girl`, `kids`, `fan`, `brother`, `to`).
pub(super) const DESCRIBING: &str = "
anniversary anything birthday boyfriend coworker dad daddy daughter enjoys everything father
father's fiance fiancee friend gift* girlfriend grandad granddaughter grandfather grandma
grandmother grandpa grandson he her him his hobbies hobby how husband idea ideas likes loves mom
mommy mother mother's mum nephew niece present presents recommend* she sister somebody someone
something son suggest* that wants what which who whom whose wife
";
