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
    text: "On this quadratic the largest curvature is λmax = 10, so plain descent is stable only for α < 2/λmax = 0.2. Here α = 0.21: press Play and watch each step overshoot further along y until the run diverges. Then set α to 0.19.",
    link: "lab=descent&surface=quadratic&opt=sgd&lr=0.21&start=-0.8,0.7&t=0",
    hide: [],
  },
  {
    id: "zig-zag",
    title: "An ill-conditioned valley: zig-zag, and how momentum helps",
    text: "A bowl fifty times steeper across than along: plain descent bounces from wall to wall and crawls along the valley. Press Play; then choose Momentum with μ = 0.6 and α = 0.06 (tuned for this bowl) and compare: the old path and loss stay dashed.",
    link: "lab=descent&surface=bowl&cond=50&angle=30&opt=sgd&lr=0.035&start=-1.6,1.2&t=0",
    hide: [],
  },
  {
    id: "overshoot",
    title: "Momentum overshooting",
    text: "With momentum μ = 0.95 the update keeps most of its speed: the path sails past the minimum and spirals in. Lower μ to 0.5 and compare the dashed path and the loss curve.",
    link: "lab=descent&surface=quadratic&opt=momentum&momentum=0.95&lr=0.05&start=-0.8,0.7&t=0",
    hide: [],
  },
  {
    id: "saddle",
    title: "A saddle point",
    text: "Near the saddle of x² − y² the gradient is almost zero, so steps become tiny; descent slows to a crawl before it escapes along y. Click a start point exactly on the line y = 0: from there it never escapes.",
    link: "lab=descent&surface=saddle&opt=sgd&lr=0.05&start=-0.9,0.002&t=0",
    hide: ["optimizer"],
  },
  {
    id: "adam-rosenbrock",
    title: "Adam against plain descent on Rosenbrock",
    text: "Rosenbrock's curved valley is hard for plain descent: its steps follow the steep walls. Play Adam, which scales each coordinate by its own gradient history; then choose gradient descent with α = 0.001 and compare the paths.",
    link: "lab=descent&surface=rosenbrock&opt=adam&lr=0.05&start=-1.5,2&t=0",
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
    text: "With no hidden layer the network draws one straight boundary, and no straight line separates XOR: accuracy stays near one half however long you train. Add a layer of four tanh neurons and train again.",
    link: "lab=network&dataset=xor&hidden=&out=sigmoid&loss=bce&opt=sgd&lr=0.3&batch=10&epochs=0",
    hide: ["data"],
  },
  {
    id: "vanishing",
    title: "Vanishing gradients in a deep sigmoid network",
    text: "Five sigmoid layers: each multiplies the backward signal by σ'(z) ≤ 1/4. Press Play and read the gradient-norm chart: layer 1 sits orders of magnitude below the output layer, so it barely learns. Switch the hidden activations to tanh or ReLU and compare.",
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
];
