// Public surface of the validate stage; other stages import only from here.
export {};
