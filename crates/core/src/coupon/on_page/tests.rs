//! The store's coupons on a page, read.

