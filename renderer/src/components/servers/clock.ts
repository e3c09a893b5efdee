import { onUnmounted, readonly, ref, type Ref } from 'vue';

// One clock for every uptime on screen: a single 1 s interval while anything shows one, instead of a
// timer per row. It only ticks the wall clock; the engine is never polled.
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** The current time in ms, updated every second while a component using it is mounted. */
export function useClock(): Readonly<Ref<number>> {
  users += 1;
  if (timer === undefined) {
    now.value = Date.now();
    timer = setInterval(() => {
      now.value = Date.now();
    }, 1000);
  }
  onUnmounted(() => {
    users -= 1;
    if (users === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  return readonly(now);
}
