#include <cstdio>
int main() { std::puts("migsafe: under construction"); return 0; }
