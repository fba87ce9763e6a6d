//! Portuguese phrases.

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
a|filler to
a partir de|at_least
abaixo de|at_most
acima de|at_least
alemanha|country:DE
algum|filler
alguma|filler
anos|unit
ao menos|at_least
aproximadamente|price_lead
armazem|warehouse
armazens|warehouse
as|filler
ate|at_most to
avaliacao|rating_word
avaliacoes|rating_word
avaliado|rating_word
avaliados|rating_word
belgica|country:BE
brasil|country:BR
campeoes de venda|sort:orders
cerca de|price_lead
classificacao|rating_word
com|filler
comprar|filler
coreia|country:KR
coreia do sul|country:KR
crescente|sort:asc
da|filler from_weak
das|filler from_weak
de|filler from_weak range_from
decrescente|sort:desc
deposito|warehouse
despachado|ship_verb
despachados|ship_verb
do|filler from_weak
do maior para o menor|sort:price_desc
do menor para o maior|sort:price_asc
dos|from_weak
e|and filler
e acima|or_more
em|filler in
em torno de|price_lead
emirados arabes|country:AE
entre|between
entrega gratis|free_shipping
entrega gratuita|free_shipping
entregue|ship_verb
envia|ship_verb
enviada|ship_verb
enviado|ship_verb
enviados|ship_verb
envio|ship_verb
envio gratis|free_shipping
envio gratuito|free_shipping
espanha|country:ES
estados unidos|country:US
estoque|warehouse
estou procurando|filler
estrela|star
estrelas|star
eua|country:US
franca|country:FR
frete|ship_verb
frete gratis|free_shipping
frete gratuito|free_shipping
gostaria de|filler
holanda|country:NL
ienes|money:JPY
inferior a|at_most
italia|country:IT
japao|country:JP
lancamento|sort:newest
lancamentos|sort:newest
maior preco|sort:price_desc
mais barata|sort:price_asc
mais baratas|sort:price_asc
mais barato|sort:price_asc
mais barato que|at_most
mais baratos|sort:price_asc
mais caro|sort:price_desc
mais caro que|at_least
mais caros|sort:price_desc
mais de|at_least
mais em conta|sort:price_asc
mais novo|sort:newest
mais novos|sort:newest
mais pedidos|sort:orders
mais populares|sort:orders
mais recente|sort:newest
mais recentes|sort:newest
mais vendida|sort:orders
mais vendidas|sort:orders
mais vendido|sort:orders
mais vendidos|sort:orders
menor preco|sort:price_asc
menos de|at_most
meu|filler
minha|filler
na|filler in
nao mais de|at_most
nao mais que|at_most
nas|filler
no|filler in
no maximo|at_most or_less
no minimo|at_least or_more
nos|filler
nota|rating_word
novidade|sort:newest
novidades|sort:newest
o|filler
o mais barato|sort:price_asc
orcamento|price_word
ordenado por preco|sort:price
ordenados por preco|sort:price
ordenar por preco|sort:price
os|filler
os mais baratos|sort:price_asc
os mais vendidos|sort:orders
ou mais|or_more
ou menos|or_less
ou superior|or_more
para|filler
para cima|or_more
pecas|unit
pelo menos|at_least
pessoas|unit
polegada|unit
polegadas|unit
polonia|country:PL
por|filler price_lead
por favor|filler
por volta de|price_lead
pra|filler
pra cima|or_more
preciso|filler
preciso de|filler
preco|price_word
preco crescente|sort:price_asc
preco decrescente|sort:price_desc
preco mais alto|sort:price_desc
preco mais baixo|sort:price_asc
precos|price_word
procuro|filler
quatro|digit:4
queria|filler
quero|filler
quero comprar|filler
reais|money:BRL
real|money?:BRL
recem chegados|sort:newest
reino unido|country:GB
republica tcheca|country:CZ
russia|country:RU
sem frete|free_shipping
superior a|at_least
tchequia|country:CZ
top vendas|sort:orders
turquia|country:TR
ucrania|country:UA
um|filler
uma|filler
umas|filler
unidades|unit
uns|filler price_lead
valor|price_word
vindo|ship_verb
";

/// What [`super::en::DESCRIBING`] lists, in Portuguese.
pub(super) const DESCRIBING: &str = "
adora algo alguem amiga amigo aniversario avo avos esposa filha filho gosta gostam ideia ideias
irma irmao mae marido namorada namorado pai presente presentear presentes qual quem recomend*
";
