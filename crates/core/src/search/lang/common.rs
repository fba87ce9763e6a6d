//! What every language shares: rating stars, `+`, `%`, units written the same everywhere
//! (`cm`, `gb`, `mah`, `w`), `rmb`, and the two-letter codes of the countries AliExpress ships
//! from (weak: a country only in capitals or before "warehouse", since `us`, `de`, `it` are
//! words too).

/// `phrase|roles`, one per line (see the roles in `lang/mod.rs`).
pub(super) const PHRASES: &str = r"
%|unit
+|or_more
ae|country?:AE
ah|unit
au|country?:AU
be|country?:BE
bit|unit
br|country?:BR
cl|country?:CL
cm|unit
cn|country?:CN
cz|country?:CZ
db|unit
de|country?:DE
dpi|unit
es|country?:ES
fps|unit
fr|country?:FR
ft|unit
g|unit
gb|country?:GB unit
ghz|unit
hu|country?:HU
hz|unit
il|country?:IL
it|country?:IT
jp|country?:JP
k|unit
kb|unit
kg|unit
khz|unit
km|unit
kr|country?:KR
kw|unit
kz|country?:KZ
l|unit
lb|unit
lbs|unit
m|unit
ma|unit
mah|unit
mb|unit
mbps|unit
mhz|unit
ml|unit
mm|unit
mp|unit
mx|country?:MX
nl|country?:NL
oz|unit
p|unit
pc|unit
pcs|unit
pl|country?:PL
pt|country?:PT
rmb|money:CNY
rpm|unit
ru|country?:RU
sa|country?:SA
tb|unit
th|unit
tr|country?:TR
ua|country?:UA
uk|country?:GB
us|country?:US
v|unit
w|unit
wh|unit
x|unit
★|star
☆|star
⭐|star
";
