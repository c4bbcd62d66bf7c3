// Ready demonstrations: a short explanation and a link to the state it starts
// from. `hide` names the groups of controls the lesson does not need.

export const LESSONS = [
  {
    id: "seed",
    title: "The seed's linear regression, step by step",
    text: "Each press of → takes one step θ ← θ − α·∇J(θ), with ∇J = X1ᵀ(X1θ − y)/m. The readout writes the next update out with its numbers: check one with pencil and paper. Watch the red line on the data chart turn towards the points as J falls.",
    link: "lab=descent&surface=linear_regression&opt=sgd&lr=0.1&start=0,0&t=0",
    hide: ["optimizer"],
  },
  {
    id: "too-large",
    title: "A learning rate too large: divergence",
    text: "On this quadratic the largest curvature is λmax = 10, so plain descent is stable only for α < 2/λmax = 0.2. Here α = 0.25: each step multiplies y by 1 − 10α = −1.5, so the path overshoots further along y every step and J grows about 2.25 times a step. Press Play: within 20 steps J is more than a million times its start. Then set α to 0.19 (y × −0.9 a step) and the same steps converge.",
    link: "lab=descent&surface=quadratic&opt=sgd&lr=0.25&start=-0.8,0.7&t=0",
    hide: [],
  },
  {
    id: "zig-zag",
    title: "An ill-conditioned valley: zig-zag, and how momentum helps",
    text: "A bowl fifty times steeper across the valley (v) than along it (u). Momentum with μ = 0 is plain descent: press Play and it bounces from wall to wall (each step multiplies v by 1 − 50α = −0.75) and crawls along the valley (each step multiplies u by 1 − α = 0.965). Then set μ to 0.6: the velocity builds up along the valley, and after the same 40 steps J is more than a hundred times lower. The old path and loss stay dashed.",
    link: "lab=descent&surface=bowl&cond=50&angle=30&opt=momentum&momentum=0&lr=0.035&start=-1.6,1.2&t=0",
    hide: [],
  },
  {
    id: "overshoot",
    title: "Momentum overshooting",
    text: "With momentum μ = 0.95 the update keeps most of its speed: the path sails past the minimum again and again and spirals in, and J rises almost as often as it falls. Lower μ to 0.5 and compare the dashed path and the loss curve: x comes in without passing 0, and after the same 40 steps J is more than a thousand times lower.",
    link: "lab=descent&surface=quadratic&opt=momentum&momentum=0.95&lr=0.05&start=-0.8,0.7&t=0",
    hide: [],
  },
  {
    id: "saddle",
    title: "A saddle point",
    text: "Near the saddle of x² − y² the gradient (2x, −2y) is almost zero, so the steps become tiny: descent slows to a crawl by the saddle before it escapes along y, each step multiplying y by 1 + 2α = 1.1. This start is 0.002 from the line y = 0; click a start farther from the line and it escapes sooner, about 24 steps sooner for each ten times farther. The closer to the line, the longer it stays; exactly on it y would stay 0 (0 · 1.1 = 0) and descent would never escape, a start no click can hit.",
    link: "lab=descent&surface=saddle&opt=sgd&lr=0.05&start=-0.9,0.002&t=0",
    hide: ["optimizer"],
  },
  {
    id: "adam-rosenbrock",
    title: "Adam against plain descent on Rosenbrock",
    text: "Rosenbrock's curved valley is hard for plain descent: its steps follow the steep walls. Play Adam, which scales each coordinate's step by its own gradient history: after 200 steps (20 s) J is down to about 1.2. Then set α to 0.001 and choose gradient descent, in that order (plain descent at α = 0.2 diverges within a few steps and the run would stop there): after the same 200 steps its J is still above 5.",
    link: "lab=descent&surface=rosenbrock&opt=adam&lr=0.2&start=-1.5,2&t=0",
    hide: [],
  },
  {
    id: "stability-bound",
    title: "The learning-rate stability bound on a quadratic",
    text: "For f = 0.5·(x² + 10y²) plain descent multiplies y by (1 − 10α) each step: it converges for α < 2/λmax = 0.2 (marked on the slider) and diverges above. Try α = 0.1, 0.19 and 0.21 with Play.",
    link: "lab=descent&surface=quadratic&opt=sgd&lr=0.19&start=-0.8,0.7&t=0",
    hide: ["surface", "optimizer"],
  },
  {
    id: "xor",
    title: "XOR needs a hidden layer",
    text: "With no hidden layer the network draws one straight boundary, and no straight line separates XOR: press Play and the loss stays at ln 2 ≈ 0.69, what guessing one half for every point gives, and accuracy stays near one half however long you train. Add a layer (four tanh neurons) and train again: within 30 epochs accuracy passes 0.9.",
    link: "lab=network&dataset=xor&hidden=&out=sigmoid&loss=bce&opt=adam&lr=0.05&batch=10&epochs=0",
    hide: ["data"],
  },
  {
    id: "vanishing",
    title: "Vanishing gradients in a deep sigmoid network",
    text: "Five sigmoid layers: each multiplies the backward signal by σ'(z) ≤ 1/4. Press Play and read the gradient norms: layer 1's is mostly more than a hundred times below the output layer's, so the first layers barely learn and accuracy stays near one half. Switch the hidden activations to tanh or ReLU and compare: layer 1's norm comes within ten times of the output layer's, and within 20 epochs accuracy passes 0.9.",
    link: "lab=network&dataset=xor&hidden=6:sigmoid,6:sigmoid,6:sigmoid,6:sigmoid,6:sigmoid&out=sigmoid&loss=mse&opt=sgd&lr=0.5&batch=10&epochs=0",
    hide: ["data"],
  },
  {
    id: "landscape",
    title: "The path of training over the loss landscape",
    text: "The landscape shows the plane in which the weights moved most: the white path runs from the start down the loss to now. Press Play, then Pause: the surface refines around the new point. Choose two random directions: around a trained network the loss rises almost every way. Tick 3-D and drag to turn it.",
    link: "lab=network&dataset=circle&hidden=8:tanh&out=sigmoid&loss=bce&opt=sgd&lr=0.3&batch=10&epochs=40&plane=training",
    hide: ["data"],
  },
  {
    id: "early-stopping",
    title: "Early stopping: when the test loss turns up",
    text: "Two layers of 16 tanh neurons on 40 noisy moons points, half of them kept for testing. The training loss falls and keeps falling; the test loss falls, then turns up as the network starts to fit the noise of its training points. Early stopping is on: press To the end, and training stops once the test loss has not improved for 20 epochs, well before the cap. Then press Back to the best test epoch: its weights come back exactly.",
    link: "lab=network&dataset=moons&points=40&noise=0.6&train=0.5&hidden=16:tanh,16:tanh&out=sigmoid&loss=bce&opt=adam&lr=0.03&batch=0&until_patience=20&epochs=0",
    hide: ["data"],
  },
];
