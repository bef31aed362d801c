#pragma once
// Playback: the clock that moves the cursor when the user presses play, and the progress of the
// current step's animation. It counts wall-clock seconds handed in by the caller (the GUI's frame
// time); it never reads a clock itself, so tests drive it with exact numbers.

namespace mailscope::gui {

class Playback {
 public:
  static constexpr double kSpeedMin = 0.1;
  static constexpr double kSpeedMax = 10.0;

  bool playing() const { return m_playing; }
  void set_playing(bool playing) { m_playing = playing; }
  double speed() const { return m_speed; }
  // Clamped to [kSpeedMin, kSpeedMax].
  void set_speed(double speed);

  // A new step is shown; its animation lasts `duration_s` at 1x.
  void start_step(double duration_s);
  // Ends the current animation at once (screenshots, jumps the user asked to see settled).
  void settle() { m_progress = 1.0; }
  // 0 when a step has just been shown, 1 once its animation is over. Invariant: in [0, 1].
  double progress() const { return m_progress; }

  // Advances the animation by `seconds` and returns the seconds left over once it reached its
  // end: when playing, the caller moves to the next step and spends the rest there.
  double advance(double seconds);

 private:
  bool m_playing = false;
  double m_speed = 1.0;
  double m_duration_s = 0.5;  // of the current step at 1x; > 0
  double m_progress = 1.0;
};

}  // namespace mailscope::gui
