//! Russian phrases. Nouns and adjectives decline, so most are stems: `звезд*` (звезды, звёзд),
//! `росси*` (Россия, России), `самы* дешев*` (самые дешёвые, самый дешёвый).

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
а|filler
австрали*|country:AU
америк*|country:US
англи*|country:GB
бакс*|money:$
без оплаты доставки|free_shipping
бельги*|country:BE
бесплатн* доставк*|free_shipping
бестселлер*|sort:orders
более|at_least
больше|at_least
бразили*|country:BR
бюджет|price_word
в|filler in
в пределах|at_most
великобритани*|country:GB
венгри*|country:HU
во|filler in
выше|at_least
германи*|country:DE
голланди*|country:NL
гривен|money:UAH
гривна|money:UAH
гривны|money:UAH
грн|money:UAH
дешевле|at_most
дешевле чем|at_most
для|filler
до|at_most to
доллар*|money:$
дороже|at_least
доставк*|ship_verb
доставк* бесплатн*|free_shipping
доставл*|ship_verb
дюйм*|unit
евро|money:EUR
за|price_lead
звезд*|star
и|and filler
и более|or_more
и больше|or_more
и выше|or_more
и меньше|or_less
иен|money:JPY
из|from
израил*|country:IL
или больше|or_more
или выше|or_more
или дешевле|or_less
или меньше|or_less
испани*|country:ES
итали*|country:IT
ищу|filler
к|filler
казахстан*|country:KZ
какой нибудь|filler
кита*|country:CN
коре*|country:KR
купить|filler
лет|unit
литр*|unit
м|unit
максимум|at_most or_less
между|between
мексик*|country:MX
менее|at_most
меньше|at_most
метр*|unit
минимум|or_more at_least
мм|unit
мне|filler
на|filler
не более|at_most
не выше|at_most
не дешевле|at_least
не дороже|at_most
не менее|or_more at_least
нидерланд*|country:NL
новинка|sort:newest
новинки|sort:newest
новые поступления|sort:newest
нужен|filler
нужна|filler
нужно|filler
нужны|filler
оаэ|country:AE
около|price_lead
от|at_least
от дешев* к дорог*|sort:price_asc
от дорог* к дешев*|sort:price_desc
отправ*|ship_verb
отсортировать по цене|sort:price
оценк*|rating_word
по|filler
по возрастанию|sort:asc
по возрастанию цены|sort:price_asc
по количеству заказов|sort:orders
по новизне|sort:newest
по популярности|sort:orders
по убыванию|sort:desc
по убыванию цены|sort:price_desc
по цене|sort:price
подешевле|sort:price_asc
пожалуйста|filler
польш*|country:PL
португали*|country:PT
порядка|price_lead
последние поступления|sort:newest
примерно|price_lead
пяти|digit:5
пять|digit:5
р|money:RUB
рейтинг*|rating_word
росси*|country:RU
руб|money:RUB
рублей|money:RUB
рубль|money:RUB
рубля|money:RUB
с|filler from_weak
самы* дешев*|sort:price_asc
самы* дорог*|sort:price_desc
самы* нов*|sort:newest
самы* популярн*|sort:orders
самы* продаваем*|sort:orders
свыше|at_least
склад*|warehouse
см|unit
сначала дешев*|sort:price_asc
сначала дорог*|sort:price_desc
сначала нов*|sort:newest
со|filler from_weak
сортировать по цене|sort:price
сортировка по цене|sort:price
стоимость|price_word
стоимостью|price_word
сша|country:US
тенге|money:KZT
трех|digit:3
три|digit:3
турци*|country:TR
украин*|country:UA
франци*|country:FR
фунт*|money?:GBP
хит* продаж|sort:orders
хочу|filler
хочу купить|filler
цена|price_word
цене|price_word
ценой|price_word
цену|price_word
цены|price_word
четыре|digit:4
четырех|digit:4
чехи*|country:CZ
чили|country:CL
шт|unit
штук*|unit
юан*|money:CNY
я|filler
я ищу|filler
япони*|country:JP
";

/// What [`super::en::DESCRIBING`] lists, in Russian (`ребенка`, `мальчика` are product words:
/// `для ребенка`).
pub(super) const DESCRIBING: &str = "
бабушка бабушке девушка девушке девушки дедушка дедушке дочери дочь друг друга другу ее ей ему
жена жене жены идеи идею идея кого кому котор* кто любит любят мама маме мамы муж мужа мужу
нравит* он она папа папе папы парень парню парня подар* подруга подруге подруги посовет* рожден*
сестра сестре сын сына сыну что
";
