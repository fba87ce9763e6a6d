//! The coupon index: built once per feed, so a cart only looks at the coupons of its own stores
//! and currency instead of scanning the whole feed.
//!
//! It is a filter, not a second copy of the rules: it hands the rules every coupon that could
//! apply, in feed order, and the rules decide. That is why stores are found by a hash of their
//! id alone: two stores sharing a hash share a group, which only adds coupons the rules refuse
//! (a store coupon saves nothing on another store's items), and costs no stored store ids.
//! Every part is one exactly-sized allocation, so [`CouponIndex::heap_bytes`] is exact.
//!
//! Its coupons are either the ones a feed was just read into, or those of a snapshot, read in
//! place: a restarted worker stores the index beside the coupons, so nothing is sorted again,
//! and a coupon is decoded (and checked, as a feed's are) only when a cart looks at it.

use super::snapshot::StoredCoupons;
use super::subject::concerns;
use super::{
    applicable, best_stack, sort_keyed, Applicable, Cart, Coupon, CouponKind, Currency, StackPlan,
    Subject,
};
use crate::link::ProductId;

/// A feed's coupons, indexed by store (store coupons) and by currency (select and code coupons).
#[derive(Debug, Default)]
pub struct CouponIndex {
    pub(super) coupons: Coupons,
    /// Positions of the store coupons, grouped by store hash, in feed order within a group.
    pub(super) by_store: Box<[u32]>,
    /// One entry per store hash, sorted by hash: where its group lies in `by_store`.
    pub(super) stores: Box<[StoreGroup]>,
    /// Positions of each currency's select and code coupons, in feed order.
    pub(super) order_level: Box<[(Currency, Box<[u32]>)]>,
    /// For store coupons scoped to products (few): each named product's hash and the coupon's
    /// position, sorted, so a product id alone finds its coupons.
    pub(super) by_product: Box<[(u64, u32)]>,
}

/// The coupons an index holds.
#[derive(Debug)]
pub(super) enum Coupons {
    /// Read from a feed.
    Read(Box<[Coupon]>),
    /// A snapshot's, decoded as they are looked at (boxed: larger than a slice).
    Stored(Box<StoredCoupons>),
}

impl Default for Coupons {
    fn default() -> Self {
        Self::Read(Box::default())
    }
}

impl Coupons {
    fn len(&self) -> usize {
        match self {
            Self::Read(coupons) => coupons.len(),
            Self::Stored(stored) => stored.len(),
        }
    }

    /// The coupon at `position`; `None` past the end, or for a stored one that fails the checks
    /// (the snapshot then says why, see [`CouponIndex::stored_fault`]).
    fn get(&self, position: usize) -> Option<&Coupon> {
        match self {
            Self::Read(coupons) => coupons.get(position),
            Self::Stored(stored) => stored.get(position),
        }
    }
}

/// A store group's hash and its bounds in `by_store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StoreGroup {
    pub(super) hash: u64,
    pub(super) start: u32,
    pub(super) end: u32,
}

/// The hash a store's coupons are grouped by.
pub(super) fn store_hash(store_id: &str) -> u64 {
    id_hash(store_id)
}

/// The hash of a store or product id: 64-bit FNV-1a, written here so that it never changes
/// between builds (a snapshot stores the groups it makes; the standard library's hasher may
/// change with the compiler). No one can choose ids to make groups collide: the feed is signed
/// by the publisher, and a collision only adds coupons the rules refuse.
pub(crate) fn id_hash(id: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    id.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

impl CouponIndex {
    /// Indexes `coupons`; their order is kept in every answer.
    pub fn new(coupons: Vec<Coupon>) -> Self {
        // Parsing leaves spare capacity (up to half again); the index keeps none.
        let coupons = coupons.into_boxed_slice();
        // Almost every coupon is a store coupon: one allocation, no regrowth.
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(coupons.len());
        let mut order_level: Vec<(Currency, Vec<u32>)> = Vec::new();
        let mut by_product: Vec<(u64, u32)> = Vec::new();
        for (position, coupon) in coupons.iter().enumerate() {
            // More than four billion coupons is far beyond any feed a size limit lets through.
            let Ok(position) = u32::try_from(position) else {
                break;
            };
            if let CouponKind::Store { product_ids, .. } = coupon.kind() {
                by_product.extend(product_ids.iter().map(|p| (id_hash(p), position)));
            }
            match coupon.store_id() {
                Some(store_id) => keyed.push((store_hash(store_id), position)),
                // A feed uses a handful of currencies: a list beats a map here.
                None => match order_level
                    .iter_mut()
                    .find(|(currency, _)| *currency == coupon.currency())
                {
                    Some((_, positions)) => positions.push(position),
                    None => order_level.push((coupon.currency(), vec![position])),
                },
            }
        }
        // By hash, then by position: each group comes out in feed order.
        sort_keyed(&mut keyed);
        sort_keyed(&mut by_product);
        by_product.dedup();
        let mut stores = Vec::new();
        let mut start = 0u32;
        for group in keyed.chunk_by(|a, b| a.0 == b.0) {
            let (Some(&(hash, _)), Ok(len)) = (group.first(), u32::try_from(group.len())) else {
                continue;
            };
            stores.push(StoreGroup {
                hash,
                start,
                end: start + len,
            });
            start += len;
        }
        Self {
            coupons: Coupons::Read(coupons),
            by_store: keyed.into_iter().map(|(_, position)| position).collect(),
            stores: stores.into_boxed_slice(),
            order_level: order_level
                .into_iter()
                .map(|(currency, positions)| (currency, positions.into_boxed_slice()))
                .collect(),
            by_product: by_product.into_boxed_slice(),
        }
    }

    /// How many coupons it holds.
    pub fn len(&self) -> usize {
        self.coupons.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.coupons.len() == 0
    }

    /// The coupon at `position` (feed order); `None` past the end, or for a snapshot's coupon
    /// that fails the checks a feed's pass.
    pub fn coupon(&self, position: usize) -> Option<&Coupon> {
        self.coupons.get(position)
    }

    /// Its coupons, in feed order (a snapshot's that fail their checks left out).
    pub fn iter(&self) -> impl Iterator<Item = &Coupon> + '_ {
        (0..self.len()).filter_map(|position| self.coupon(position))
    }

    /// Why a coupon of the snapshot it reads failed the checks, once one has: the snapshot is
    /// then not to be trusted (the worker reads the signed feed instead).
    pub fn stored_fault(&self) -> Option<&super::SnapshotError> {
        match &self.coupons {
            Coupons::Read(_) => None,
            Coupons::Stored(stored) => stored.fault(),
        }
    }

    /// The bytes it holds on the heap, beyond `size_of::<CouponIndex>()`: exact, since every
    /// part is an exactly-sized allocation.
    pub fn heap_bytes(&self) -> usize {
        let coupons = match &self.coupons {
            Coupons::Read(coupons) => {
                coupons.len() * size_of::<Coupon>()
                    + coupons.iter().map(Coupon::heap_bytes).sum::<usize>()
            }
            Coupons::Stored(stored) => stored.heap_bytes(),
        };
        let order_level = self.order_level.len() * size_of::<(Currency, Box<[u32]>)>()
            + self
                .order_level
                .iter()
                .map(|(_, positions)| size_of_val(&**positions))
                .sum::<usize>();
        coupons
            + size_of_val(&*self.by_store)
            + size_of_val(&*self.stores)
            + order_level
            + size_of_val(&*self.by_product)
    }

    /// The positions of the store coupons of the store with this id (and of any store sharing
    /// its hash), in feed order.
    fn store_group(&self, store_id: &str) -> Option<&[u32]> {
        let hash = store_hash(store_id);
        let found = self
            .stores
            .binary_search_by_key(&hash, |group| group.hash)
            .ok()?;
        let group = self.stores.get(found)?;
        self.by_store
            .get(usize::try_from(group.start).ok()?..usize::try_from(group.end).ok()?)
    }

    /// The store coupons of the store with this id, in feed order (any store sharing its hash
    /// too: the caller checks the id).
    pub(super) fn of_store<'a>(&'a self, store_id: &str) -> impl Iterator<Item = &'a Coupon> + 'a {
        self.store_group(store_id)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| self.coupons.get(usize::try_from(*p).ok()?))
    }

    /// The coupons that could apply to `cart`: its stores' coupons and its currency's order-level
    /// coupons, in feed order. A cart from one store (a product page) allocates nothing here.
    pub(super) fn candidates<'a>(&'a self, cart: &Cart) -> Candidates<'a> {
        let order_level = self
            .order_level
            .iter()
            .find(|(currency, _)| *currency == cart.currency)
            .map_or(&[][..], |(_, positions)| positions);
        let mut groups = cart
            .items
            .iter()
            .filter_map(|item| self.store_group(item.store_id.as_deref()?));
        let first = groups.next().unwrap_or_default();
        // Groups are slices of `by_store`: the same group is the same slice.
        if groups.all(|group| std::ptr::eq(group, first)) {
            return Candidates::Merged {
                coupons: &self.coupons,
                store: first,
                order_level,
            };
        }
        let positions: Vec<u32> = cart
            .items
            .iter()
            .filter_map(|item| self.store_group(item.store_id.as_deref()?))
            .flatten()
            .chain(order_level)
            .copied()
            .collect();
        // A store with several items in the cart gave its group once per item.
        Candidates::Gathered {
            coupons: &self.coupons,
            positions: sorted_unique(positions).into_iter(),
        }
    }

    /// Every coupon that applies to `cart` on its own, with its saving.
    pub fn applicable(&self, cart: &Cart) -> Vec<Applicable<'_>> {
        applicable(self.candidates(cart), cart)
    }

    /// The combination that saves the most on `cart`.
    pub fn best_stack(&self, cart: &Cart) -> StackPlan<'_> {
        best_stack(self.candidates(cart), cart)
    }

    /// The coupons a page is about when no saving can be computed: its stores' coupons and
    /// those scoped to its products, whose terms allow them, in feed order.
    pub fn concerning(&self, subject: &Subject<'_>) -> Vec<&Coupon> {
        let mut positions: Vec<u32> = subject
            .store_ids
            .iter()
            .filter_map(|store| self.store_group(store))
            .flatten()
            .copied()
            .collect();
        // A product under its id here and on the other site (aliexpress.us): the feed may name
        // either.
        for product in subject.product_ids {
            let other = ProductId::parse(product).and_then(|id| id.other_site());
            let other = other.as_ref().map(ProductId::as_str);
            for id in std::iter::once(product.as_str()).chain(other) {
                let hash = id_hash(id);
                let start = self.by_product.partition_point(|(h, _)| *h < hash);
                let same = self.by_product.get(start..).unwrap_or_default();
                positions.extend(same.iter().take_while(|(h, _)| *h == hash).map(|(_, p)| *p));
            }
        }
        sorted_unique(positions)
            .into_iter()
            .filter_map(|p| self.coupons.get(usize::try_from(p).ok()?))
            .filter(|coupon| concerns(coupon, subject))
            .collect()
    }
}

/// Positions in ascending order, each once (through the coupon rules' one sort).
fn sorted_unique(positions: Vec<u32>) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = positions.into_iter().map(|p| (u64::from(p), p)).collect();
    sort_keyed(&mut keyed);
    keyed.dedup();
    keyed.into_iter().map(|(_, p)| p).collect()
}

/// The coupons a cart looks at, in feed order.
pub(super) enum Candidates<'a> {
    /// One store's positions and the order-level ones, merged as they are read.
    Merged {
        coupons: &'a Coupons,
        store: &'a [u32],
        order_level: &'a [u32],
    },
    /// Several stores' positions and the order-level ones, gathered and sorted.
    Gathered {
        coupons: &'a Coupons,
        positions: std::vec::IntoIter<u32>,
    },
}

impl<'a> Iterator for Candidates<'a> {
    type Item = &'a Coupon;

    fn next(&mut self) -> Option<&'a Coupon> {
        // A stored coupon that fails its checks is passed over.
        loop {
            let (coupons, position) = self.next_position()?;
            if let Some(coupon) = coupons.get(usize::try_from(position).ok()?) {
                return Some(coupon);
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match self {
            Self::Merged {
                store, order_level, ..
            } => store.len() + order_level.len(),
            Self::Gathered { positions, .. } => positions.len(),
        };
        (0, Some(left))
    }
}

impl<'a> Candidates<'a> {
    /// The next position, in feed order, with the coupons it is a position in.
    fn next_position(&mut self) -> Option<(&'a Coupons, u32)> {
        Some(match self {
            Self::Merged {
                coupons,
                store,
                order_level,
            } => {
                // The two lists never share a position: a coupon is a store coupon or not.
                let from_store = match (store.first(), order_level.first()) {
                    (Some(s), Some(o)) => s < o,
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                let list = if from_store { store } else { order_level };
                let (&position, rest) = list.split_first()?;
                *list = rest;
                (*coupons, position)
            }
            Self::Gathered { coupons, positions } => (*coupons, positions.next()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::coupon::{CartItem, CouponFields, CouponKind, Discount};

    fn feed(count: usize) -> Vec<Coupon> {
        (0..count)
            .map(|i| {
                let id = format!("c{i}");
                let title = format!("coupon {i}");
                let store_id = format!("st{}", i % 37);
                let code = format!("CODE{i}");
                Coupon::new(CouponFields {
                    id: &id,
                    kind: match i % 10 {
                        0 => CouponKind::Select,
                        1 => CouponKind::Code { code: &code },
                        _ => CouponKind::Store {
                            store_id: &store_id,
                            product_ids: &[],
                            category_ids: &[],
                        },
                    },
                    title: &title,
                    currency: if i % 7 == 0 {
                        crate::money::code("EUR")
                    } else {
                        crate::money::code("USD")
                    },
                    min_spend: (i as u64 * 131) % 5000,
                    discount: if i % 3 == 0 {
                        Discount::Percent {
                            percent: (i % 40 + 1) as u8,
                            max: Some(900),
                        }
                    } else {
                        Discount::Fixed {
                            amount: (i as u64 * 37) % 1500 + 1,
                        }
                    },
                    countries: &[],
                    starts_at: 0,
                    expires_at: i64::MAX,
                    new_users_only: false,
                    url: None,
                })
            })
            .collect()
    }

    #[test]
    fn the_index_answers_as_a_full_scan_does() {
        let coupons = feed(2000);
        let index = CouponIndex::new(coupons.clone());
        assert_eq!(index.len(), 2000);
        for (n, stores) in [
            (1, vec![3]),
            (2, vec![3, 5]),
            (3, vec![0, 36, 12]),
            (4, vec![99]),
            (5, vec![4, 4, 4]),
            (6, vec![7, 99, 7]),
            (7, vec![]),
        ] {
            let cart = store_cart(&stores, 2500 * n);
            let scan = applicable(&coupons, &cart);
            let indexed = index.applicable(&cart);
            assert_eq!(indexed, scan);
            assert_eq!(index.best_stack(&cart), best_stack(&coupons, &cart));
        }
    }

    /// A US-dollar cart of one item per entry, each from store `st<entry>` at `price`.
    fn store_cart(stores: &[u32], price: crate::coupon::Minor) -> Cart {
        Cart {
            currency: crate::money::code("USD"),
            country: None,
            new_user: false,
            now: 1,
            items: stores
                .iter()
                .map(|s| CartItem {
                    product_id: None,
                    store_id: Some(format!("st{s}")),
                    category_ids: vec![],
                    price,
                    quantity: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn stores_sharing_a_group_answer_as_a_full_scan_does() {
        // Force what a hash collision does: every store coupon in one group.
        let coupons = feed(500);
        let mut index = CouponIndex::new(coupons.clone());
        let end = u32::try_from(index.by_store.len()).unwrap();
        let mut all: Vec<u32> = index.by_store.to_vec();
        all.sort_unstable();
        index.by_store = all.into();
        index.stores = index
            .stores
            .iter()
            .map(|group| StoreGroup {
                hash: group.hash,
                start: 0,
                end,
            })
            .collect();
        for stores in [vec![3], vec![3, 5], vec![5, 3, 5]] {
            let cart = store_cart(&stores, 3000);
            assert_eq!(index.applicable(&cart), applicable(&coupons, &cart));
            assert_eq!(index.best_stack(&cart), best_stack(&coupons, &cart));
        }
    }

    /// Coupons over a few stores and currencies, some scoped to a product, some for new users.
    fn arb_coupons() -> impl Strategy<Value = Vec<Coupon>> {
        let coupon = (
            0usize..5,
            0usize..4,
            0usize..3,
            0u64..3000,
            1u64..2000,
            any::<bool>(),
        );
        prop::collection::vec(coupon, 0..40).prop_map(|coupons| {
            coupons
                .into_iter()
                .enumerate()
                .map(|(i, (kind, store, currency, min_spend, off, new_only))| {
                    let (id, store_id) = (format!("c{i}"), format!("st{store}"));
                    let product: [Box<str>; 1] = [product_id(store).into()];
                    let kind = match kind {
                        0 => CouponKind::Select,
                        1 => CouponKind::Code { code: "C" },
                        2 => CouponKind::Store {
                            store_id: &store_id,
                            product_ids: &product,
                            category_ids: &[],
                        },
                        _ => CouponKind::Store {
                            store_id: &store_id,
                            product_ids: &[],
                            category_ids: &[],
                        },
                    };
                    Coupon::new(CouponFields {
                        id: &id,
                        kind,
                        title: &id,
                        currency: [
                            crate::money::code("USD"),
                            crate::money::code("EUR"),
                            crate::money::code("BRL"),
                        ][currency],
                        min_spend,
                        discount: Discount::Fixed { amount: off },
                        countries: &[],
                        starts_at: 0,
                        expires_at: 10,
                        new_users_only: new_only,
                        url: None,
                    })
                })
                .collect()
        })
    }

    /// A product's id: two of them the same product on the global sites and on aliexpress.us,
    /// one its neighbour, the others not ids at all.
    fn product_id(n: usize) -> String {
        match n {
            0 => "1005001234567890".to_owned(),
            1 => "3256801048253138".to_owned(),
            2 => "1005001234567891".to_owned(),
            n => format!("p{n}"),
        }
    }

    #[test]
    fn a_product_is_found_under_its_id_on_either_site() {
        let scoped = |id: &str| {
            let product: [Box<str>; 1] = [id.into()];
            Coupon::new(CouponFields {
                id,
                kind: CouponKind::Store {
                    store_id: "st1",
                    product_ids: &product,
                    category_ids: &[],
                },
                title: id,
                currency: crate::money::code("USD"),
                min_spend: 0,
                discount: Discount::Fixed { amount: 100 },
                countries: &[],
                starts_at: 0,
                expires_at: 10,
                new_users_only: false,
                url: None,
            })
        };
        let index = CouponIndex::new(vec![
            scoped("1005010026778896"),
            scoped("3256801048253138"),
            scoped("1005010026778897"),
        ]);
        let found = |product: &str| {
            let products = vec![product.to_owned()];
            let subject = Subject {
                store_ids: &[],
                product_ids: &products,
                category_ids: &[],
                currency: None,
                country: None,
                new_user: false,
                now: 5,
            };
            let ids: Vec<&str> = index.concerning(&subject).iter().map(|c| c.id()).collect();
            ids.join(",")
        };
        assert_eq!(found("3256809840464144"), "1005010026778896");
        assert_eq!(found("1005010026778896"), "1005010026778896");
        assert_eq!(found("1005001234567890"), "3256801048253138");
        assert_eq!(found("3256809840464145"), "1005010026778897");
        assert_eq!(found("3256809840464146"), "");
        // A cart's item on aliexpress.us takes the store coupon scoped to its global id.
        let cart = Cart {
            currency: crate::money::code("USD"),
            country: None,
            new_user: false,
            now: 5,
            items: vec![CartItem {
                product_id: Some("3256809840464144".to_owned()),
                store_id: Some("st1".to_owned()),
                category_ids: vec![],
                price: 1000,
                quantity: 1,
            }],
        };
        let applied: Vec<&str> = index
            .applicable(&cart)
            .iter()
            .map(|a| a.coupon.id())
            .collect();
        assert_eq!(applied, ["1005010026778896"]);
    }

    fn arb_cart() -> impl Strategy<Value = Cart> {
        let item = (prop::option::of(0usize..5), 0usize..5, 1u64..3000, 1u32..3);
        let currency = prop_oneof![
            Just(crate::money::code("USD")),
            Just(crate::money::code("EUR")),
            Just(crate::money::code("JPY"))
        ];
        (prop::collection::vec(item, 0..5), currency, any::<bool>()).prop_map(
            |(items, currency, new_user)| Cart {
                currency,
                country: None,
                new_user,
                now: 5,
                items: items
                    .into_iter()
                    .map(|(store, product, price, quantity)| CartItem {
                        product_id: Some(product_id(product)),
                        store_id: store.map(|s| format!("st{s}")),
                        category_ids: vec![],
                        price,
                        quantity,
                    })
                    .collect(),
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn the_index_answers_as_a_full_scan_does_for_any_cart(coupons in arb_coupons(), cart in arb_cart()) {
            let index = CouponIndex::new(coupons.clone());
            prop_assert_eq!(index.applicable(&cart), applicable(&coupons, &cart));
            prop_assert_eq!(index.best_stack(&cart), best_stack(&coupons, &cart));
        }

        #[test]
        fn concerning_finds_what_a_scan_finds(coupons in arb_coupons(), cart in arb_cart()) {
            let index = CouponIndex::new(coupons.clone());
            let stores: Vec<String> = cart.items.iter().filter_map(|i| i.store_id.clone()).collect();
            let products: Vec<String> = cart.items.iter().filter_map(|i| i.product_id.clone()).collect();
            let subject = Subject {
                store_ids: &stores,
                product_ids: &products,
                category_ids: &[],
                currency: None,
                country: None,
                new_user: cart.new_user,
                now: cart.now,
            };
            let scan: Vec<&Coupon> = coupons.iter().filter(|c| concerns(c, &subject)).collect();
            prop_assert_eq!(index.concerning(&subject), scan);
        }
    }

    #[test]
    fn heap_bytes_counts_every_part() {
        let coupons = feed(100);
        let text: usize = coupons
            .iter()
            .map(|c| c.id().len() + c.title().len() + c.code().or(c.store_id()).map_or(0, str::len))
            .sum();
        let index = CouponIndex::new(coupons);
        let stores = index.stores.len();
        assert_eq!(stores, 37);
        assert_eq!(
            index.heap_bytes(),
            100 * size_of::<Coupon>()
                + text
                + 80 * 4
                + stores * 16
                + 2 * size_of::<(Currency, Box<[u32]>)>()
                + 20 * 4
        );
    }
}
