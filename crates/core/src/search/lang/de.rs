//! German phrases. Declined forms are stems (`kostenlos* versand` covers "kostenloser Versand"
//! and "kostenlosem Versand"; `gunstigst*` covers "günstigste", "günstigsten").

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
ab|at_least
absteigend|sort:desc
am beliebtesten|sort:orders
am billigsten|sort:price_asc
am gunstigsten|sort:price_asc
am meisten verkauft|sort:orders
am neuesten|sort:newest
am teuersten|sort:price_desc
amerika|country:US
aufsteigend|sort:asc
aus|from
australien|country:AU
belgien|country:BE
beliebtest*|sort:orders
bestseller|sort:orders
bewertet|rating_word
bewertung|rating_word
bewertungen|rating_word
billiger als|at_most
billigst*|sort:price_asc
bis|at_most to
bis zu|at_most
bitte|filler
brasilien|country:BR
brauche|filler
ca|price_lead
circa|price_lead
das|filler
dem|filler
der|filler
deutschland|country:DE
drei|digit:3
ein|filler
eine|filler
einem|filler
einen|filler
einer|filler
etwa|price_lead
franken|money:CHF
frankreich|country:FR
frei haus|free_shipping
funf|digit:5
geliefert|ship_verb
gratis versand|free_shipping
gratisversand|free_shipping
grossbritannien|country:GB
gunstiger als|at_most
gunstigst*|sort:price_asc
hochstens|at_most or_less
hochster preis|sort:price_desc
ich brauche|filler
ich mochte|filler
ich suche|filler
ich suche nach|filler
ich will|filler
im|filler in
in|in
italien|country:IT
jahre|unit
kasachstan|country:KZ
kaufen|filler
kosten|price_word
kostenfreier versand|free_shipping
kostenlos* lieferung|free_shipping
kostenlos* versand|free_shipping
kostet|price_word
lager|warehouse
lagerhaus|warehouse
lieferung|ship_verb
lieferung kostenlos|free_shipping
liter|unit
maximal|at_most or_less
mehr als|at_least
mein|filler
meine|filler
meistgekauft*|sort:orders
meistverkauft*|sort:orders
mexiko|country:MX
mindestens|or_more at_least
mit|filler
mochte|filler
nach preis sortiert|sort:price
neu eingetroffen|sort:newest
neuerscheinungen|sort:newest
neuest*|sort:newest
neuheit|sort:newest
neuheiten|sort:newest
nicht mehr als|at_most
nicht teurer als|at_most
niederlande|country:NL
niedrigster preis|sort:price_asc
oberhalb von|at_least
oder besser|or_more
oder billiger|or_less
oder gunstiger|or_less
oder mehr|or_more
oder weniger|or_less
paar|unit
personen|unit
pfund|money?:GBP
polen|country:PL
portofrei|free_shipping
preis|price_word
preis absteigend|sort:price_desc
preis aufsteigend|sort:price_asc
preise|price_word
preisklasse|price_word
rubel|money:RUB
rund|price_lead
russland|country:RU
saudi arabien|country:SA
schweizer franken|money:CHF
sortieren nach preis|sort:price
sortiert nach preis|sort:price
spanien|country:ES
stern|star
sterne|star
sternen|star
stk|unit
stuck|unit
suche|filler
suche nach|filler
sudkorea|country:KR
teile|unit
teuerst*|sort:price_desc
teurer als|at_least
topseller|sort:orders
tschechien|country:CZ
turkei|country:TR
uber|at_least
um|price_lead
und|and filler
und aufwarts|or_more
und hoher|or_more
und mehr|or_more
ungarn|country:HU
ungefahr|price_lead
unter|at_most
unterhalb von|at_most
us dollar|money:USD
vereinigte arabische emirate|country:AE
vereinigte staaten|country:US
vereinigtes konigreich|country:GB
verkaufsschlager|sort:orders
versand|ship_verb
versand gratis|free_shipping
versand kostenlos|free_shipping
versandkostenfrei|free_shipping
versandt|ship_verb
verschickt|ship_verb
versendet|ship_verb
vier|digit:4
von|from_weak range_from
warenlager|warehouse
weniger als|at_most
zoll|unit
zwischen|between
";

/// What [`super::en::DESCRIBING`] lists, in German (`Mutter` is also a nut, `Frau` and `Mann`
/// product words).
pub(super) const DESCRIBING: &str = "
ehefrau ehemann empfehl* etwas freund freundin geburtstag gerne geschenk* idee ideen jemand
jemandem jemanden liebt mag mama mein meine meinem meinen meiner mogen oma opa papa schenken
schwester sohn tochter vater was welche welchem welchen welcher welches wer
";
