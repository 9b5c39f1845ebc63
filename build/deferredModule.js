'use strict';
/**
 * A module that loads on first use: `deferred(() => require('x'))` stands for x's exports, and
 * loads x the first time anything of it is read or it is called. Bundled into the entry by
 * build/bundle.ts for the packages it defers.
 */
module.exports = function deferred(load) {
  let loaded;
  const real = () => (loaded === undefined ? (loaded = { exports: load() }) : loaded).exports;
  // A function, so that a module whose exports are a function (moment) can be called.
  return new Proxy(function () {}, {
    get: (_target, key) => real()[key],
    has: (_target, key) => key in real(),
    apply: (_target, self, args) => Reflect.apply(real(), self, args),
    construct: (_target, args) => Reflect.construct(real(), args),
    ownKeys: () => [...new Set([...Reflect.ownKeys(real()), 'prototype'])],
    getOwnPropertyDescriptor: (target, key) => {
      if (key === 'prototype') return Reflect.getOwnPropertyDescriptor(target, key);
      const descriptor = Reflect.getOwnPropertyDescriptor(Object(real()), key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
};
