//! Spanish phrases.

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
a|filler to
a lo sumo|at_most
a partir de|at_least
al|filler
al menos|at_least
alemania|country:DE
algun|filler
alguna|filler
almacen|warehouse
almacenes|warehouse
alrededor de|price_lead
anos|unit
aproximadamente|price_lead
arabia saudita|country:SA
arriba de|at_least
ascendente|sort:asc
bajo|at_most
belgica|country:BE
bodega|warehouse
brasil|country:BR
buscando|filler
busco|filler
calificacion|rating_word
calificado|rating_word
calificados|rating_word
cerca de|price_lead
chequia|country:CZ
china|country:CN
cinco|digit:5
como maximo|at_most or_less
como minimo|at_least or_more
comprar|filler
con|filler
corea|country:KR
corea del sur|country:KR
coste|price_word
costo|price_word
cuatro|digit:4
de|filler from_weak range_from
de mayor a menor|sort:price_desc
de mayor a menor precio|sort:price_desc
de menor a mayor|sort:price_asc
de menor a mayor precio|sort:price_asc
del|filler from_weak
descendente|sort:desc
desde|at_least from
despachado|ship_verb
despachados|ship_verb
dolar|money:$
dolares|money:$
dolares americanos|money:USD
ee uu|country:US
ee.uu|country:US
eeuu|country:US
el|filler
emiratos arabes unidos|country:AE
en|filler in
entre|between
entrega|ship_verb
entrega gratis|free_shipping
entrega gratuita|free_shipping
enviada|ship_verb
enviadas|ship_verb
enviado|ship_verb
enviados|ship_verb
envian|ship_verb
envio|ship_verb
envio gratis|free_shipping
envio gratuito|free_shipping
envio sin costo|free_shipping
envios|ship_verb
envios gratis|free_shipping
espana|country:ES
estados unidos|country:US
estoy buscando|filler
estrella|star
estrellas|star
exitos de venta|sort:orders
francia|country:FR
gastos de envio gratis|free_shipping
hasta|at_most to
holanda|country:NL
hungria|country:HU
inferior a|at_most
inglaterra|country:GB
israel|country:IL
italia|country:IT
japon|country:JP
la|filler
las|filler
libra|money?:GBP
libras|money?:GBP
libras esterlinas|money:GBP
lo|filler
lo mas barato|sort:price_asc
lo mas nuevo|sort:newest
lo mas vendido|sort:orders
lo ultimo|sort:newest
los|filler
los mas baratos|sort:price_asc
los mas caros|sort:price_desc
los mas vendidos|sort:orders
mas barata|sort:price_asc
mas baratas|sort:price_asc
mas barato|sort:price_asc
mas barato que|at_most
mas baratos|sort:price_asc
mas cara|sort:price_desc
mas caras|sort:price_desc
mas caro|sort:price_desc
mas caro que|at_least
mas caros|sort:price_desc
mas de|at_least
mas economico|sort:price_asc
mas economicos|sort:price_asc
mas nuevo|sort:newest
mas nuevos|sort:newest
mas pedidos|sort:orders
mas popular|sort:orders
mas populares|sort:orders
mas reciente|sort:newest
mas recientes|sort:newest
mas vendida|sort:orders
mas vendidas|sort:orders
mas vendido|sort:orders
mas vendidos|sort:orders
maximo|at_most or_less
mayor precio|sort:price_desc
me gustaria|filler
menor precio|sort:price_asc
menos de|at_most
metros|unit
mexico|country:MX
mi|filler
minimo|or_more at_least
mis|filler
necesito|filler
no mas de|at_most
novedad|sort:newest
novedades|sort:newest
o mas|or_more
o menos|or_less
o superior|or_more
ordenado por precio|sort:price
ordenados por precio|sort:price
ordenar por precio|sort:price
paises bajos|country:NL
para|filler
pares|unit
personas|unit
pesos|money
pesos argentinos|money:ARS
pesos chilenos|money:CLP
pesos colombianos|money:COP
pesos mexicanos|money:MXN
piezas|unit
polonia|country:PL
por|filler price_lead
por debajo de|at_most
por encima de|at_least
por favor|filler
por lo menos|at_least
portugal|country:PT
precio|price_word
precio ascendente|sort:price_asc
precio de mayor a menor|sort:price_desc
precio de menor a mayor|sort:price_asc
precio descendente|sort:price_desc
precio mas alto|sort:price_desc
precio mas bajo|sort:price_asc
precios|price_word
presupuesto|price_word
pulgada|unit
pulgadas|unit
puntuacion|rating_word
que|filler
quiero|filler
quiero comprar|filler
quisiera|filler
reales|money:BRL
recien llegados|sort:newest
reino unido|country:GB
republica checa|country:CZ
rublos|money:RUB
rusia|country:RU
se envia|ship_verb
sin gastos de envio|free_shipping
soles|money:PEN
superior a|at_least
top ventas|sort:orders
tres|digit:3
turquia|country:TR
ucrania|country:UA
un|filler
una|filler
unas|filler
unidades|unit
unos|filler price_lead
valoracion|rating_word
valorado|rating_word
valorados|rating_word
y|and filler
y mas|or_more
yenes|money:JPY
yuanes|money:CNY
";

/// What [`super::en::DESCRIBING`] lists, in Spanish (`niño`, `niña` and `mujer` are product
/// words: `ropa niño`, `zapatos mujer`).
pub(super) const DESCRIBING: &str = "
abuela abuelo algo alguien amiga amigo cual cumpleanos encanta encantan esposa esposo gusta
gustan hermana hermano hija hijo idea ideas madre marido novia novio padre quien quienes
recomend* recomiend* regal* sobrina sobrino
";
