// sanitized_cxx.cc - C++ exceptions across frames with arrays on the main
// goroutine's stack, under ASan, with the plain runtime
// (tests/e2e/rt_sanitizers.sh): after the catch, reusing the stack must
// not report the dead frames' redzones.
#include <cstdio>
#include <cstring>
#include <stdexcept>

static volatile int sink;

__attribute__((noinline)) static void thrower(int n)
{
	char buf[64];
	std::memset(buf, n, sizeof buf);
	sink += buf[n % 64];
	if (n == 0)
		throw std::runtime_error("deep");
	thrower(n - 1);
	sink += buf[1];
}

__attribute__((noinline)) static void reuse()
{
	char big[16384];
	std::memset(big, 1, sizeof big);
	sink += big[100];
}

int main()
{
	for (int i = 0; i < 3; i++) {
		try {
			thrower(40);
		} catch (const std::exception &e) {
			std::printf("caught %s\n", e.what());
		}
		reuse();
	}
	return 0;
}
