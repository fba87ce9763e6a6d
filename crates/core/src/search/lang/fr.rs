//! French phrases. Elided words keep their apostrophe (`l'`, `d'`, `jusqu'`): the tokenizer
//! splits them from the word they are glued to.

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
a|filler to
a moins de|at_most
a partir de|at_least
a peu pres|price_lead
acheter|filler
allemagne|country:DE
angleterre|country:GB
ans|unit
arabie saoudite|country:SA
au|filler in
au dessous de|at_most
au dessus de|at_least
au maximum|at_most or_less
au minimum|at_least or_more
au moins|at_least
au plus|at_most
australie|country:AU
autour de|price_lead
aux|filler in
aux alentours de|price_lead
avec|filler
belgique|country:BE
bresil|country:BR
c'|filler
cherche|filler
chili|country:CL
chine|country:CN
cinq|digit:5
coree|country:KR
coree du sud|country:KR
croissant|sort:asc
d'|filler from_weak
de|filler from_weak range_from
decroissant|sort:desc
depuis|from
dernieres nouveautes|sort:newest
derniers arrivages|sort:newest
des|at_least filler from_weak
dollars americains|money:USD
du|filler from_weak
du moins cher au plus cher|sort:price_asc
du plus cher au moins cher|sort:price_desc
emirats arabes unis|country:AE
en|filler in
en dessous de|at_most
entre|between
entrepot|warehouse
entrepots|warehouse
environ|price_lead
envoi gratuit|free_shipping
envoye|ship_verb
envoyee|ship_verb
envoyes|ship_verb
espagne|country:ES
et|and filler
et plus|or_more
etats unis|country:US
etoile|star
etoiles|star
evaluation|rating_word
evaluations|rating_word
evalue|rating_word
expedie|ship_verb
expediee|ship_verb
expediees|ship_verb
expedies|ship_verb
expedition|ship_verb
expedition gratuite|free_shipping
frais de port gratuits|free_shipping
frais de port offert|free_shipping
frais de port offerts|free_shipping
france|country:FR
francs suisses|money:CHF
hollande|country:NL
hongrie|country:HU
inferieur a|at_most
italie|country:IT
j'|filler
j' ai besoin d'|filler
j' ai besoin de|filler
japon|country:JP
je cherche|filler
je recherche|filler
je veux|filler
je voudrais|filler
jusqu' a|at_most to
l'|filler
la|filler
la moins chere|sort:price_asc
la plus chere|sort:price_desc
le|filler
le moins cher|sort:price_asc
le plus cher|sort:price_desc
les|filler
les moins cheres|sort:price_asc
les moins chers|sort:price_asc
les plus chers|sort:price_desc
les plus populaires|sort:orders
les plus recents|sort:newest
les plus vendus|sort:orders
litres|unit
livraison|ship_verb
livraison gratuite|free_shipping
livraison incluse|free_shipping
livraison offerte|free_shipping
livre sterling|money:GBP
livres|money?:GBP
livres sterling|money:GBP
ma|filler
maxi|or_less
meilleure vente|sort:orders
meilleures ventes|sort:orders
mes|filler
metres|unit
mexique|country:MX
minimum|or_more
moins cher|sort:price_asc
moins cher que|at_most
moins chere|sort:price_asc
moins chers|sort:price_asc
moins de|at_most
mon|filler
nouveaute|sort:newest
nouveautes|sort:newest
nouveaux produits|sort:newest
nouvelles arrivees|sort:newest
ou moins|or_less
ou plus|or_more
paires|unit
pas plus de|at_most
pays bas|country:NL
personnes|unit
places|unit
plus cher que|at_least
plus chers|sort:price_desc
plus de|at_least
plus populaires|sort:orders
plus recents|sort:newest
plus vendus|sort:orders
pologne|country:PL
port gratuit|free_shipping
port offert|free_shipping
pouce|unit
pouces|unit
pour|filler price_lead
prix|price_word
prix croissant|sort:price_asc
prix decroissant|sort:price_desc
prix le plus bas|sort:price_asc
prix le plus eleve|sort:price_desc
prix les plus bas|sort:price_asc
qu'|filler
quatre|digit:4
recherche|filler
republique tcheque|country:CZ
roubles|money:RUB
royaume uni|country:GB
russie|country:RU
s' il vous plait|filler
sans frais de port|free_shipping
sous|at_most
superieur a|at_least
svp|filler
tarif|price_word
tchequie|country:CZ
top ventes|sort:orders
trie par prix|sort:price
trier par prix|sort:price
tries par prix|sort:price
trois|digit:3
turquie|country:TR
un|filler
une|filler
yens|money:JPY
yuans|money:CNY
";

/// What [`super::en::DESCRIBING`] lists, in French (`femme` and `fille` are product words:
/// `robe femme`).
pub(super) const DESCRIBING: &str = "
adore aime aiment ami amie anniversaire cadeau* chose copain copine epouse fils frere idee idees
maman mari mere offrir papa pere quel quelle quelqu'un quelque qui recommand* soeur
";
