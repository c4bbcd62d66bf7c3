//! Settings that are one of a fixed list of names: a data set, an
//! activation, a loss, an initialisation, an optimizer, a plane. Each is an
//! enum whose id is written in one place, [`Named::id`]; serde, links and the
//! page's menus all go through it.

use crate::tr;
use serde::Serialize;

/// A setting chosen from a fixed list.
pub trait Named: Copy + PartialEq + Sized + 'static {
    /// What kind of setting this is, for messages ("data set").
    const WHAT: &'static str;
    /// Every choice, in menu order (with its usual constants, if it has any).
    const ALL: &'static [Self];

    /// What settings, links and menus call it.
    fn id(self) -> &'static str;

    /// What the menu shows (in English: the page puts menus in its language).
    fn label(self) -> &'static str;

    /// Its label in the language now, for the texts the core writes.
    fn shown(self) -> String {
        crate::i18n::tr(self.label())
    }

    /// The choice called `id`, or an error that lists the choices.
    fn from_id(id: &str) -> Result<Self, String> {
        Self::ALL.iter().copied().find(|c| c.id() == id).ok_or_else(|| {
            let ids: Vec<&str> = Self::ALL.iter().map(|c| c.id()).collect();
            tr!("unknown {what} \"{id}\"; choose one of {ids}", what = crate::i18n::tr(Self::WHAT), id = id, ids = ids.join(", "))
        })
    }
}

/// One entry of a menu, as the page builds it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    pub id: &'static str,
    pub label: &'static str,
}

/// The menu of a kind of setting, in order.
pub fn choices<T: Named>() -> Vec<Choice> {
    T::ALL.iter().map(|c| Choice { id: c.id(), label: c.label() }).collect()
}

/// Serde reads and writes a [`Named`] setting as its id.
#[macro_export]
macro_rules! serde_by_id {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::named::Named::id(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let id = <String as serde::Deserialize>::deserialize(d)?;
                <$t as $crate::named::Named>::from_id(&id).map_err(serde::de::Error::custom)
            }
        }
    };
}
