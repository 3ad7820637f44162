// The browser tests share two cores with everything else: one real-time session at a time keeps them honest.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
